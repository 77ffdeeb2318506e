package io.steward.server.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GdprRequestsTest {
    TestServer server;
    String admin;
    String support;
    String subject;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWith("gdpr_requests", "--gdpr-recipients", "Mailer Co, CRM Inc");
        admin = server.tokenFor(Role.ADMIN);
        support = server.tokenFor(Role.SUPPORT);
        subject = call(
                        "POST",
                        "/api/v1/users",
                        admin,
                        Map.of("email", "data.subject@academy.example", "name", "Dana Subject", "role", "student"),
                        201)
                .get("id")
                .asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode call(String method, String path, String token, Object body, int status) throws Exception {
        try (Response r = server.call(method, path, token, body)) {
            String text = r.body().string();
            assertThat(r.code()).as(method + " " + path + " → " + text).isEqualTo(status);
            return text.isEmpty() ? server.mapper.nullNode() : server.mapper.readTree(text);
        }
    }

    String open(String type) throws Exception {
        return call(
                        "POST",
                        "/api/v1/gdpr/requests",
                        support,
                        Map.of("userId", subject, "type", type, "note", "by e-mail"),
                        201)
                .get("id")
                .asText();
    }

    JsonNode step(String id, String step, String token, Map<String, Object> body, int status) throws Exception {
        return call("POST", "/api/v1/gdpr/requests/" + id + "/" + step, token, body, status);
    }

    String conflict(String id, String step, String token, Map<String, Object> body) throws Exception {
        JsonNode answer = step(id, step, token, body, 409);
        assertThat(answer.at("/error/code").asText()).isEqualTo("CONFLICT");
        return answer.at("/error/message").asText();
    }

    String secondAdmin() throws Exception {
        call(
                "POST",
                "/api/v1/users",
                admin,
                Map.of(
                        "email",
                        "second.admin@academy.example",
                        "name",
                        "Second Admin",
                        "role",
                        "admin",
                        "password",
                        "another fine passphrase"),
                201);
        return call(
                        "POST",
                        "/api/v1/auth/login",
                        null,
                        Map.of("email", "second.admin@academy.example", "password", "another fine passphrase"),
                        200)
                .get("token")
                .asText();
    }

    @Test
    void aRequestIsDueOneCalendarMonthAfterReceipt() throws Exception {
        JsonNode request = call("GET", "/api/v1/gdpr/requests/" + open("access"), support, null, 200);
        Instant received = Instant.parse(request.get("receivedAt").asText());
        assertThat(Instant.parse(request.get("dueAt").asText()))
                .isEqualTo(received.atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
        assertThat(request.get("status").asText()).isEqualTo("received");
        assertThat(request.get("subjectName").asText()).isEqualTo("Dana Subject");
        assertThat(request.get("subjectEmail").asText()).isEqualTo("data.subject@academy.example");
        assertThat(request.get("overdue").asBoolean()).isFalse();
        assertThat(request.get("recipients"))
                .as("access needs no Art. 19 notifications")
                .isEmpty();
    }

    @Test
    void anAccessRequestIsAnsweredWithTheExportsDigestNotACopy() throws Exception {
        String id = open("access");
        step(id, "verify", support, Map.of("note", "passport seen on video call"), 200);
        JsonNode done = step(id, "complete", support, Map.of(), 200);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("evidenceSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(done.get("completedBy").asText()).isNotBlank();
        List<String> actions = new ArrayList<>();
        call("GET", "/api/v1/audit?subjectId=" + subject + "&limit=50", admin, null, 200)
                .get("items")
                .forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("gdpr.request_opened", "gdpr.request_verified", "gdpr.request_completed");
    }

    @Test
    void theOpenQueueSaysWhatEachRequestWaitsFor() throws Exception {
        String access = open("access");
        String erasure = open("erasure");
        String answered = open("portability");
        assertThat(call("GET", "/api/v1/gdpr/requests/" + access, support, null, 200)
                        .get("waitingFor")
                        .asText())
                .isEqualTo("identity-check");
        step(access, "verify", support, Map.of(), 200);
        step(erasure, "verify", support, Map.of(), 200);
        step(answered, "verify", support, Map.of(), 200);
        step(answered, "reject", support, Map.of("reason", "asked twice", "subjectToldOfRightToComplain", true), 200);
        assertThat(call("GET", "/api/v1/gdpr/requests/" + access, support, null, 200)
                        .get("waitingFor")
                        .asText())
                .isEqualTo("completion");
        assertThat(call("GET", "/api/v1/gdpr/requests/" + erasure, support, null, 200)
                        .get("waitingFor")
                        .asText())
                .as("an erasure verified waits for a second person")
                .isEqualTo("approval");
        assertThat(call("GET", "/api/v1/gdpr/requests/" + answered, support, null, 200)
                        .get("waitingFor")
                        .isNull())
                .isTrue();
        var open = new ArrayList<String>();
        call("GET", "/api/v1/gdpr/requests?status=open&userId=" + subject + "&limit=100", support, null, 200)
                .get("items")
                .forEach(r -> open.add(r.get("id").asText()));
        assertThat(open).contains(access, erasure).doesNotContain(answered);
        assertThat(call("GET", "/api/v1/gdpr/requests?status=pending", support, null, 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("status");
    }

    @Test
    void aRequestsTimelineIsItsStepsAndTheDownloadsWhileItWasOpenOldestFirst() throws Exception {
        String id = open("access");
        String other = open("portability");
        step(id, "verify", support, Map.of("note", "passport seen on video call"), 200);
        step(other, "verify", support, Map.of(), 200);
        String handedOver;
        try (Response export = server.call("GET", "/api/v1/users/" + subject + "/export", support, null)) {
            assertThat(export.code()).isEqualTo(200);
            handedOver = export.header("X-Content-SHA256");
        }
        JsonNode completed = step(id, "complete", support, Map.of("note", "sent by post"), 200);
        assertThat(completed.get("evidenceSha256").asText())
                .as("the evidence is the file that was handed over")
                .isEqualTo(handedOver);
        step(other, "reject", support, Map.of("reason", "asked twice", "subjectToldOfRightToComplain", true), 200);

        JsonNode timeline = call("GET", "/api/v1/gdpr/requests/" + id + "/timeline", support, null, 200);
        List<String> actions = new ArrayList<>();
        timeline.get("items").forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions)
                .as("the other request's steps are not part of this one's history")
                .containsExactly(
                        "gdpr.request_opened",
                        "gdpr.request_verified",
                        "gdpr.subject_exported",
                        "gdpr.request_completed");
        assertThat(timeline.at("/items/1/details/personal/note").asText()).isEqualTo("passport seen on video call");
        assertThat(timeline.at("/items/1/actorName").asText())
                .as("the actor by name, as the timeline shows it")
                .isEqualTo(call("GET", "/api/v1/auth/me", support, null, 200)
                        .get("name")
                        .asText());
        assertThat(timeline.get("nextCursor").isNull()).isTrue();
        assertThat(completed.get("timeline"))
                .as("the step's answer brings the same history: the screen needs no second call")
                .isEqualTo(timeline.get("items"));
        assertThat(call("GET", "/api/v1/gdpr/requests/" + id, support, null, 200)
                        .has("timeline"))
                .as("only a step's answer carries it")
                .isFalse();
        assertThat(call("GET", "/api/v1/gdpr/requests?limit=5", support, null, 200)
                        .at("/items/0")
                        .has("timeline"))
                .isFalse();

        assertThat(call("GET", "/api/v1/gdpr/requests/" + java.util.UUID.randomUUID() + "/timeline", support, null, 404)
                        .at("/error/code")
                        .asText())
                .isEqualTo("NOT_FOUND");
        call("GET", "/api/v1/gdpr/requests/" + id + "/timeline", server.tokenFor(Role.AUDITOR), null, 403);
    }

    @Test
    void theQueueFiltersByTheSubject() throws Exception {
        String mine = open("access");
        String someoneElse = call(
                        "POST",
                        "/api/v1/users",
                        admin,
                        Map.of("email", "someone.else@academy.example", "name", "Sam Else", "role", "student"),
                        201)
                .get("id")
                .asText();
        call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", someoneElse, "type", "erasure"), 201);
        List<String> ids = new ArrayList<>();
        call("GET", "/api/v1/gdpr/requests?userId=" + subject, support, null, 200)
                .get("items")
                .forEach(r -> ids.add(r.get("id").asText()));
        assertThat(ids).containsExactly(mine);
        assertThat(call("GET", "/api/v1/gdpr/requests?userId=nope", support, null, 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("userId");
    }

    List<String> actions(String id, String token) throws Exception {
        var out = new java.util.ArrayList<String>();
        call("GET", "/api/v1/gdpr/requests/" + id, token, null, 200)
                .get("actions")
                .forEach(a -> out.add(a.asText()));
        return out;
    }

    @Test
    void eachRequestListsTheActionsItsReaderMayTakeNow() throws Exception {
        String second = secondAdmin();
        String erasure = open("erasure");
        assertThat(actions(erasure, support)).containsExactly("verify", "extend", "reject", "notify-recipient");
        step(erasure, "verify", second, Map.of(), 200);
        // the verifier may not approve, nor may support; another admin may
        assertThat(actions(erasure, second)).containsExactly("extend", "reject", "notify-recipient");
        assertThat(actions(erasure, support)).containsExactly("extend", "reject", "notify-recipient");
        assertThat(actions(erasure, admin)).containsExactly("extend", "reject", "approve", "notify-recipient");
        step(erasure, "approve", admin, Map.of(), 200);
        // an approved erasure may still be refused; it completes once every recipient was told
        assertThat(actions(erasure, support)).containsExactly("extend", "reject", "complete", "notify-recipient");
        for (String recipient : List.of("Mailer Co", "CRM Inc")) {
            call(
                    "POST",
                    "/api/v1/gdpr/requests/" + erasure + "/recipients/" + recipient.replace(" ", "%20") + "/notified",
                    support,
                    Map.of(),
                    200);
        }
        assertThat(actions(erasure, support)).containsExactly("extend", "reject", "complete");

        String access = open("access");
        step(access, "extend", support, Map.of("months", 1, "reason", "many systems to search"), 200);
        step(access, "verify", support, Map.of(), 200);
        // extended once already: no second extension; answered with the subject's data
        assertThat(actions(access, support)).containsExactly("reject", "complete", "export");
        step(access, "complete", support, Map.of(), 200);
        assertThat(actions(access, support)).containsExactly("export");
        // the queue's page says the same as each request
        JsonNode page = call("GET", "/api/v1/gdpr/requests?userId=" + subject, support, null, 200);
        for (JsonNode item : page.get("items")) {
            var listed = new java.util.ArrayList<String>();
            item.get("actions").forEach(a -> listed.add(a.asText()));
            assertThat(listed).isEqualTo(actions(item.get("id").asText(), support));
        }

        // a staff account's erasure is for admins at every step: support is offered nothing
        String staff =
                call("GET", "/api/v1/auth/me", support, null, 200).get("id").asText();
        String staffErasure = call(
                        "POST", "/api/v1/gdpr/requests", admin, Map.of("userId", staff, "type", "erasure"), 201)
                .get("id")
                .asText();
        assertThat(actions(staffErasure, support)).isEmpty();
        assertThat(actions(staffErasure, admin)).contains("verify");
    }

    @Test
    void illegalTransitionsAreConflicts() throws Exception {
        String id = open("access");
        assertThat(conflict(id, "complete", support, Map.of())).contains("received");
        assertThat(conflict(id, "approve", admin, Map.of())).contains("only erasure");
        step(id, "verify", support, Map.of(), 200);
        conflict(id, "verify", support, Map.of());
        step(id, "complete", support, Map.of(), 200);
        conflict(id, "reject", support, Map.of("reason", "late", "subjectToldOfRightToComplain", true));
        conflict(id, "extend", support, Map.of("months", 1, "reason", "complex"));
    }

    @Test
    void erasureNeedsASecondPersonToApprove() throws Exception {
        String second = secondAdmin();
        String id = open("erasure");
        step(id, "verify", second, Map.of(), 200);
        JsonNode sameAdmin = step(id, "approve", second, Map.of(), 403);
        assertThat(sameAdmin.at("/error/message").asText()).contains("four eyes");
        step(id, "approve", support, Map.of(), 403);
        JsonNode approved = step(id, "approve", admin, Map.of(), 200);
        assertThat(approved.get("status").asText()).isEqualTo("approved");
        assertThat(approved.get("approvedBy").asText())
                .isNotEqualTo(approved.get("verifiedBy").asText());
    }

    @Test
    void anExtensionIsOnceByAtMostTwoMonthsWithAReasonWithinTheFirstMonth() throws Exception {
        String id = open("portability");
        assertThat(step(id, "extend", support, Map.of("months", 3, "reason", "x"), 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("months");
        assertThat(step(id, "extend", support, Map.of("months", 2), 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("reason");
        JsonNode extended = step(id, "extend", support, Map.of("months", 2, "reason", "many systems to search"), 200);
        Instant due = Instant.parse(extended.get("dueAt").asText());
        assertThat(Instant.parse(extended.get("extendedUntil").asText()))
                .isEqualTo(due.atZone(ZoneOffset.UTC).plusMonths(2).toInstant());
        assertThat(extended.get("deadline").asText())
                .isEqualTo(extended.get("extendedUntil").asText());
        assertThat(conflict(id, "extend", support, Map.of("months", 1, "reason", "again")))
                .contains("already");

        String late = open("access");
        server.clock.advance(Duration.ofDays(32));
        String fresh = server.login(TestServer.SUPPORT);
        assertThat(conflict(late, "extend", fresh, Map.of("months", 1, "reason", "too late")))
                .contains("first month");
    }

    @Test
    void aRejectionNeedsAReasonAndTheRightToComplain() throws Exception {
        String id = open("erasure");
        assertThat(step(id, "reject", support, Map.of("subjectToldOfRightToComplain", true), 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("reason");
        assertThat(step(id, "reject", support, Map.of("reason", "manifestly unfounded"), 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("subjectToldOfRightToComplain");
        JsonNode rejected = step(
                id,
                "reject",
                support,
                Map.of("reason", "manifestly unfounded", "subjectToldOfRightToComplain", true),
                200);
        assertThat(rejected.get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.get("rejectedReason").asText()).isEqualTo("manifestly unfounded");
    }

    @Test
    void overdueRequestsAreFlaggedAndFiltered() throws Exception {
        String old = open("access");
        server.clock.advance(Duration.ofDays(20));
        String fresh = server.login(TestServer.SUPPORT);
        String recent = call("POST", "/api/v1/gdpr/requests", fresh, Map.of("userId", subject, "type", "access"), 201)
                .get("id")
                .asText();
        server.clock.advance(Duration.ofDays(15));
        fresh = server.login(TestServer.SUPPORT);
        List<String> overdue = new ArrayList<>();
        call("GET", "/api/v1/gdpr/requests?overdue=true", fresh, null, 200)
                .get("items")
                .forEach(r -> overdue.add(r.get("id").asText()));
        assertThat(overdue).containsExactly(old);
        assertThat(call("GET", "/api/v1/gdpr/requests/" + old, fresh, null, 200)
                        .get("overdue")
                        .asBoolean())
                .isTrue();
        assertThat(call("GET", "/api/v1/gdpr/requests?type=access", fresh, null, 200)
                        .get("items"))
                .hasSize(2);
        assertThat(call("GET", "/api/v1/gdpr/requests?overdue=maybe", fresh, null, 400)
                        .at("/error/field")
                        .asText())
                .isEqualTo("overdue");
        assertThat(recent).isNotEqualTo(old);
    }

    @Test
    void rectificationCompletesOnlyOnceEveryRecipientWasTold() throws Exception {
        String id = open("rectification");
        JsonNode request = step(id, "verify", support, Map.of(), 200);
        assertThat(request.get("recipients")).hasSize(2);
        assertThat(conflict(id, "complete", support, Map.of()))
                .contains("CRM Inc")
                .contains("Mailer Co");
        call("POST", "/api/v1/gdpr/requests/" + id + "/recipients/Nobody%20Ltd/notified", support, null, 404);
        step(id, "recipients/Mailer%20Co/notified", support, Map.of(), 200);
        assertThat(conflict(id, "complete", support, Map.of()))
                .contains("CRM Inc")
                .doesNotContain("Mailer Co");
        JsonNode told = step(id, "recipients/CRM%20Inc/notified", support, Map.of(), 200);
        assertThat(told.get("recipients"))
                .allSatisfy(r -> assertThat(r.get("notifiedBy").isNull()).isFalse());
        assertThat(step(id, "complete", support, Map.of(), 200).get("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void aRestrictedSubjectsDataIsReadOnly() throws Exception {
        String id = open("restriction");
        step(id, "verify", support, Map.of(), 200);
        step(id, "recipients/Mailer%20Co/notified", support, Map.of(), 200);
        step(id, "recipients/CRM%20Inc/notified", support, Map.of(), 200);
        step(id, "complete", support, Map.of(), 200);
        JsonNode refused = call("PATCH", "/api/v1/users/" + subject, support, Map.of("name", "New Name"), 409);
        assertThat(refused.at("/error/message").asText()).contains("restricted");
        assertThat(call("GET", "/api/v1/users/" + subject, support, null, 200)
                        .get("processingRestricted")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void theExportHoldsEverythingAboutTheSubjectAndIsAudited() throws Exception {
        open("access");
        try (Response r = server.call("GET", "/api/v1/users/" + subject + "/export", support, null)) {
            byte[] body = r.body().bytes();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"subject-" + subject + ".json\"");
            assertThat(r.header("X-Content-SHA256"))
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            JsonNode export = server.mapper.readTree(body);
            assertThat(export.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(export.at("/profile/email").asText()).isEqualTo("data.subject@academy.example");
            assertThat(export.at("/profile/passwordHash").isMissingNode()).isTrue();
            assertThat(export.get("gdprRequests")).hasSize(1);
            assertThat(export.get("auditEntries")).isNotEmpty();
            for (String section :
                    List.of("enrollments", "communications", "sessions", "emailLogs", "staffSignIns", "staffTokens")) {
                assertThat(export.get(section).isArray()).as(section).isTrue();
            }
        }
        List<String> actions = new ArrayList<>();
        call("GET", "/api/v1/audit?type=gdpr.subject_exported", admin, null, 200)
                .get("items")
                .forEach(e -> actions.add(e.get("subjectId").asText()));
        assertThat(actions).containsExactly(subject);
    }

    @Test
    void everyTableWithAUserIdIsInTheExport() {
        List<String> tables = server.db.read(tx -> new SubjectDataRepository().tablesWithUserId(tx));
        List<String> exported = SubjectDataRepository.SECTIONS.stream()
                .map(SubjectDataRepository.Section::table)
                .toList();
        assertThat(exported).containsAll(tables);
    }
}
