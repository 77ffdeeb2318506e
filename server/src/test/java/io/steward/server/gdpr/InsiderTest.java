package io.steward.server.gdpr;

import static io.steward.server.testsupport.ReportJson.figures;
import static io.steward.server.testsupport.ReportJson.table;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The staff rules tried as a hostile member of staff would, through the API with several accounts:
 * a second identity to approve one's own erasure, two admins removing each other at once, support
 * erasing or restricting staff.
 */
class InsiderTest {
    TestServer server;
    String admin;
    String support;

    @BeforeEach
    void start() {
        server = TestServer.start("insider");
        admin = server.login(TestServer.ADMIN);
        support = server.login(TestServer.SUPPORT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Answer(int code, JsonNode body) {
        String error() {
            return body.at("/error/code").asText() + ": "
                    + body.at("/error/message").asText();
        }
    }

    Answer call(String method, String path, String token, @Nullable Object body) {
        try (Response r = server.call(method, path, token, body)) {
            return new Answer(r.code(), r.code() == 204 ? server.mapper.createObjectNode() : server.json(r));
        }
    }

    /** Creates a staff account as {@code by} and returns its id. */
    String staff(String by, String email, String role) {
        Answer created = call(
                "POST",
                "/api/v1/users",
                by,
                Map.of("email", email, "name", "Staff " + role, "role", role, "password", TestServer.PASSWORD));
        assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    String student(String email) {
        Answer created =
                call("POST", "/api/v1/users", support, Map.of("email", email, "name", "A Student", "role", "student"));
        assertThat(created.code()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    String open(String token, String subject, String type) {
        Answer opened = call("POST", "/api/v1/gdpr/requests", token, Map.of("userId", subject, "type", type));
        assertThat(opened.code()).as(opened.body().toString()).isEqualTo(201);
        return opened.body().get("id").asText();
    }

    Answer step(String id, String step, String token) {
        return call("POST", "/api/v1/gdpr/requests/" + id + "/" + step, token, Map.of());
    }

    String idOf(String token) {
        return call("GET", "/api/v1/auth/me", token, null).body().get("id").asText();
    }

    @Test
    void fourEyesMeansTwoPersonsNotTwoAccounts() {
        String student = student("erase.me@academy.example");
        // the admin makes a second admin account and signs in as it
        staff(admin, "second@test.example", "admin");
        String second = server.login("second@test.example");
        String first = open(support, student, "erasure");
        assertThat(step(first, "verify", admin).code()).isEqualTo(200);
        Answer own = step(first, "approve", second);
        assertThat(own.code()).as(own.error()).isEqualTo(403);
        assertThat(own.error()).contains("four eyes").contains("created your account");

        // an account the verifier promoted
        String promotedId = staff(admin, "promoted@test.example", "support");
        String other = open(support, student, "erasure");
        assertThat(step(other, "verify", second).code()).isEqualTo(200);
        assertThat(call("PATCH", "/api/v1/users/" + promotedId, second, Map.of("role", "admin"))
                        .code())
                .isEqualTo(200);
        Answer promoted = step(other, "approve", server.login("promoted@test.example"));
        assertThat(promoted.code()).isEqualTo(403);
        assertThat(promoted.error()).contains("changed the role of your account");

        // an account made after the request arrived, by someone other than the verifier
        String third = open(support, student, "erasure");
        assertThat(step(third, "verify", support).code()).isEqualTo(200);
        server.clock.advance(java.time.Duration.ofMinutes(5));
        staff(admin, "late@test.example", "admin");
        Answer late = step(third, "approve", server.login("late@test.example"));
        assertThat(late.code()).isEqualTo(403);
        assertThat(late.error()).contains("created after this request was received");
        // nor a verifying account made after the request arrived, by the approver
        String fourth = open(support, student, "erasure");
        server.clock.advance(java.time.Duration.ofMinutes(5));
        staff(admin, "throwaway@test.example", "support");
        assertThat(step(fourth, "verify", server.login("throwaway@test.example"))
                        .code())
                .isEqualTo(200);
        Answer throwaway = step(fourth, "approve", admin);
        assertThat(throwaway.code()).isEqualTo(403);
        assertThat(throwaway.error()).contains("the account that verified this request was created after");

        // two persons: the admin approves what the second admin verified
        Answer approved = step(other, "approve", admin);
        assertThat(approved.code()).as(approved.error()).isEqualTo(200);
        assertThat(TestDatabase.strings(
                        server.db,
                        "SELECT (details ->> 'verifiedBy') || ' ' || (details ->> 'approvedBy') FROM audit_log"
                                + " WHERE action = 'gdpr.request_approved'"))
                .containsExactly(idOf(second) + " " + idOf(admin));

        String auditor = server.login(TestServer.AUDITOR);
        for (String type : List.of("gdpr", "soc2")) {
            JsonNode report = report(auditor, type);
            assertThat(figures(report).get("approvals.linked").asLong())
                    .as(type)
                    .isEqualTo(0);
            assertThat(figures(report).get("approvals").asLong()).as(type).isEqualTo(1);
        }
        // an approval made before the rule held (the verifier had created the approver) is listed
        TestDatabase.execute(
                server.db,
                "UPDATE gdpr_requests SET verified_by = '" + idOf(admin) + "', approved_by = '" + idOf(second)
                        + "' WHERE id = '" + other + "'");
        for (String type : List.of("gdpr", "soc2")) {
            JsonNode report = report(auditor, type);
            assertThat(figures(report).get("approvals.linked").asLong())
                    .as(type)
                    .isEqualTo(1);
            JsonNode rows = table(report, "approvals.linked");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get(1).asText()).isEqualTo(other);
            assertThat(rows.get(0).get(2).asText()).isEqualTo(TestServer.ADMIN);
            assertThat(rows.get(0).get(3).asText()).isEqualTo("second@test.example");
            assertThat(rows.get(0).get(4).asText()).startsWith("the verifier created the approving account on ");
        }
    }

    JsonNode report(String token, String type) {
        var today = server.clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        Answer r = call("GET", "/api/v1/reports/" + type + "?from=" + today.minusDays(1) + "&to=" + today, token, null);
        assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    long activeAdmins() {
        return Long.parseLong(TestDatabase.strings(
                        server.db,
                        "SELECT count(*) FROM users WHERE role = 'admin' AND active AND deleted_at IS NULL"
                                + " AND NOT anonymized AND NOT processing_restricted")
                .getFirst());
    }

    @Test
    void twoAdminsDeactivatingEachOtherAtTheSameMomentLeaveOne() throws Exception {
        String adminId = idOf(admin);
        String secondId = staff(admin, "second@test.example", "admin");
        var outcomes = new HashMap<String, Integer>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 20; round++) {
                TestDatabase.execute(server.db, "UPDATE users SET active = true WHERE role = 'admin'");
                String a = server.login(TestServer.ADMIN);
                String b = server.login("second@test.example");
                var barrier = new CyclicBarrier(2);
                Future<Answer> aOffB = pool.submit(() -> {
                    barrier.await();
                    return call("PATCH", "/api/v1/users/" + secondId, a, Map.of("active", false));
                });
                Future<Answer> bOffA = pool.submit(() -> {
                    barrier.await();
                    return call("PATCH", "/api/v1/users/" + adminId, b, Map.of("active", false));
                });
                List<Answer> both = List.of(aOffB.get(), bOffA.get());
                assertThat(activeAdmins()).as("round %d: %s", round, both).isEqualTo(1);
                for (Answer answer : both) {
                    String what = answer.code() == 200
                            ? "200"
                            : answer.code() + " "
                                    + answer.body().at("/error/code").asText();
                    outcomes.merge(what, 1, Integer::sum);
                    assertThat(what).isIn("200", "409 LAST_ADMIN", "401 UNAUTHENTICATED");
                }
            }
        }
        assertThat(outcomes.get("200")).as("%s", outcomes).isEqualTo(20);
    }

    @Test
    void anAdminIsErasedOrRestrictedOnlyByAdminsAndNeverTheLastOne() {
        String adminId = idOf(admin);
        // support alone cannot open an erasure or a restriction of a staff account
        for (String type : List.of("erasure", "restriction")) {
            Answer opened = call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", adminId, "type", type));
            assertThat(opened.code()).as(type + ": " + opened.body()).isEqualTo(403);
            assertThat(opened.error()).contains("admins at every step");
        }
        String secondId = staff(admin, "second@test.example", "admin");
        String second = server.login("second@test.example");
        // nor take any step of one an admin opened
        String erasure = open(second, adminId, "erasure");
        assertThat(step(erasure, "verify", support).code()).isEqualTo(403);
        assertThat(step(erasure, "verify", second).code()).isEqualTo(200);
        assertThat(step(erasure, "approve", admin).code()).isEqualTo(200);
        assertThat(step(erasure, "complete", support).code()).isEqualTo(403);
        // the second admin is deactivated; erasing the first would leave none
        assertThat(call("PATCH", "/api/v1/users/" + secondId, admin, Map.of("active", false))
                        .code())
                .isEqualTo(200);
        Answer last = step(erasure, "complete", admin);
        assertThat(last.code()).as(last.error()).isEqualTo(409);
        assertThat(last.body().at("/error/code").asText()).isEqualTo("LAST_ADMIN");
        assertThat(activeAdmins()).isEqualTo(1);
        // a restriction of the last admin is refused the same way
        String restriction = open(admin, adminId, "restriction");
        assertThat(step(restriction, "verify", admin).code()).isEqualTo(200);
        Answer restricted = step(restriction, "complete", admin);
        assertThat(restricted.code()).isEqualTo(409);
        assertThat(restricted.body().at("/error/code").asText()).isEqualTo("LAST_ADMIN");
        // and demoting oneself as the last admin
        Answer demoted = call("PATCH", "/api/v1/users/" + adminId, admin, Map.of("role", "support"));
        assertThat(demoted.code()).isEqualTo(409);
        assertThat(demoted.body().at("/error/code").asText()).isEqualTo("LAST_ADMIN");
    }

    @Test
    void aRestrictedStaffAccountCanStillBeDeactivatedAndOnlyAnAdminLiftsTheRestriction() {
        String auditorId = idOf(server.login(TestServer.AUDITOR));
        Answer bySupport =
                call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", auditorId, "type", "restriction"));
        assertThat(bySupport.code()).as(bySupport.body().toString()).isEqualTo(403);
        String restriction = open(admin, auditorId, "restriction");
        assertThat(step(restriction, "verify", admin).code()).isEqualTo(200);
        assertThat(step(restriction, "complete", admin).code()).isEqualTo(200);

        // support may not lift it
        Answer lift = call("PATCH", "/api/v1/users/" + auditorId, support, Map.of("processingRestricted", false));
        assertThat(lift.code()).isEqualTo(403);
        // deactivating it for security reasons is always possible, and audited as such
        Answer off = call("PATCH", "/api/v1/users/" + auditorId, admin, Map.of("active", false));
        assertThat(off.code()).as(off.body().toString()).isEqualTo(200);
        assertThat(off.body().get("active").asBoolean()).isFalse();
        assertThat(TestDatabase.strings(
                        server.db,
                        "SELECT details ->> 'securityDeactivation' FROM audit_log WHERE action = 'user.updated'"
                                + " AND subject_id = '" + auditorId + "'"))
                .containsExactly("true");
        // other changes still wait for the restriction to be lifted, by an admin
        assertThat(call("PATCH", "/api/v1/users/" + auditorId, admin, Map.of("name", "Changed"))
                        .code())
                .isEqualTo(409);
        assertThat(call("PATCH", "/api/v1/users/" + auditorId, admin, Map.of("processingRestricted", false))
                        .code())
                .isEqualTo(200);
    }
}
