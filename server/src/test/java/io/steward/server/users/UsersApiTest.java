package io.steward.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UsersApiTest {
    static TestServer server;
    static String admin;
    static String support;
    static String auditor;

    @BeforeAll
    static void start() {
        server = TestServer.start("users_api");
        admin = server.tokenFor(Role.ADMIN);
        support = server.tokenFor(Role.SUPPORT);
        auditor = server.tokenFor(Role.AUDITOR);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode ok(Response r, int status) throws Exception {
        String text = r.body().string();
        assertThat(r.code()).as(text).isEqualTo(status);
        return server.mapper.readTree(text);
    }

    static JsonNode create(String token, Map<String, Object> body) throws Exception {
        try (Response r = server.call("POST", "/api/v1/users", token, body)) {
            return ok(r, 201);
        }
    }

    static String error(Response r, int status, String code) throws Exception {
        JsonNode body = ok(r, status);
        assertThat(body.at("/error/code").asText()).isEqualTo(code);
        return body.at("/error/field").asText();
    }

    @Test
    void creatingAUserAnswers201WithLocationAndEtag() throws Exception {
        try (Response r = server.call(
                "POST",
                "/api/v1/users",
                support,
                Map.of("email", "ada.lovelace@academy.example", "name", "Ada Lovelace", "role", "student"))) {
            JsonNode user = ok(r, 201);
            assertThat(r.header("Location"))
                    .isEqualTo("/api/v1/users/" + user.get("id").asText());
            assertThat(r.header("ETag")).isEqualTo("\"1\"");
            assertThat(user.get("role").asText()).isEqualTo("student");
            assertThat(user.get("active").asBoolean()).isTrue();
            assertThat(user.at("/counts/enrollments").asLong()).isZero();
            try (Response again = server.call("GET", r.header("Location"), admin, null)) {
                assertThat(ok(again, 200).get("email").asText()).isEqualTo("ada.lovelace@academy.example");
            }
        }
    }

    @Test
    void aUsersHistoryIsWhatTheAuditTrailSaysAboutThemNewestFirstInPages() throws Exception {
        JsonNode user =
                create(support, Map.of("email", "history@academy.example", "name", "Hilda Story", "role", "student"));
        String id = user.get("id").asText();
        for (String name : List.of("Hilda Story II", "Hilda Story III")) {
            try (Response r = server.call("PATCH", "/api/v1/users/" + id, admin, Map.of("name", name))) {
                ok(r, 200);
            }
        }
        List<String> actions = new ArrayList<>();
        String cursor;
        try (Response r = server.call("GET", "/api/v1/users/" + id + "/history?limit=2", support, null)) {
            JsonNode page = ok(r, 200);
            page.get("items").forEach(e -> actions.add(e.get("action").asText()));
            assertThat(page.get("items"))
                    .allSatisfy(e -> assertThat(e.get("subjectId").asText()).isEqualTo(id));
            cursor = page.get("nextCursor").asText();
        }
        try (Response r =
                server.call("GET", "/api/v1/users/" + id + "/history?limit=2&cursor=" + cursor, support, null)) {
            JsonNode page = ok(r, 200);
            page.get("items").forEach(e -> actions.add(e.get("action").asText()));
            assertThat(page.get("nextCursor").isNull()).isTrue();
        }
        assertThat(actions).containsExactly("user.updated", "user.updated", "user.created");
        try (Response r = server.call("GET", "/api/v1/users/" + UUID.randomUUID() + "/history", support, null)) {
            error(r, 404, "NOT_FOUND");
        }
        try (Response r = server.call("GET", "/api/v1/users/" + id + "/history", auditor, null)) {
            error(r, 403, "FORBIDDEN");
        }
    }

    @Test
    void aDuplicateEmailInAnyCaseIsAConflict() throws Exception {
        create(admin, Map.of("email", "grace@academy.example", "name", "Grace Hopper", "role", "instructor"));
        try (Response r = server.call(
                "POST",
                "/api/v1/users",
                admin,
                Map.of("email", "GRACE@Academy.example", "name", "Grace H.", "role", "student"))) {
            error(r, 409, "CONFLICT");
        }
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        record Case(Map<String, Object> body, String field) {}
        for (var c : List.of(
                new Case(Map.of("name", "No Mail", "role", "student"), "email"),
                new Case(Map.of("email", "not-an-address", "name", "X", "role", "student"), "email"),
                new Case(Map.of("email", "a@b.example", "name", " ", "role", "student"), "name"),
                new Case(Map.of("email", "a@b.example", "name", "A", "role", "wizard"), "role"),
                new Case(Map.of("email", "a@b.example", "name", "A", "role", "support"), "password"),
                new Case(
                        Map.of("email", "a@b.example", "name", "A", "role", "support", "password", "short"),
                        "password"),
                new Case(
                        Map.of("email", "a@b.example", "name", "A", "role", "student", "password", "long enough pass"),
                        "password"))) {
            try (Response r = server.call("POST", "/api/v1/users", admin, c.body())) {
                assertThat(error(r, 400, "VALIDATION_ERROR"))
                        .as(c.body().toString())
                        .isEqualTo(c.field());
            }
        }
    }

    @Test
    void supportMayNotCreateOrPromoteStaff() throws Exception {
        try (Response r = server.call(
                "POST",
                "/api/v1/users",
                support,
                Map.of(
                        "email",
                        "new.admin@academy.example",
                        "name",
                        "New Admin",
                        "role",
                        "admin",
                        "password",
                        "a perfectly fine passphrase"))) {
            error(r, 403, "FORBIDDEN");
        }
        JsonNode student =
                create(support, Map.of("email", "climber@academy.example", "name", "Cli Mber", "role", "student"));
        try (Response r = server.call(
                "PATCH", "/api/v1/users/" + student.get("id").asText(), support, Map.of("role", "support"))) {
            error(r, 403, "FORBIDDEN");
        }
    }

    @Test
    void aStaleIfMatchIsPreconditionFailed() throws Exception {
        JsonNode user = create(admin, Map.of("email", "etag@academy.example", "name", "E Tag", "role", "student"));
        String url = server.baseUrl + "/api/v1/users/" + user.get("id").asText();
        var patch = RequestBody.create(server.mapper.writeValueAsBytes(Map.of("name", "E. Tag")), TestServer.JSON);
        try (Response r = server.execute(new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + admin)
                .header("If-Match", "\"1\"")
                .patch(patch)
                .build())) {
            JsonNode changed = ok(r, 200);
            assertThat(changed.get("name").asText()).isEqualTo("E. Tag");
            assertThat(r.header("ETag")).isEqualTo("\"2\"");
        }
        try (Response r = server.execute(new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + admin)
                .header("If-Match", "\"1\"")
                .patch(patch)
                .build())) {
            error(r, 412, "PRECONDITION_FAILED");
        }
    }

    @Test
    void deactivatingAStaffAccountRevokesItsTokensAtOnce() throws Exception {
        JsonNode staff = create(
                admin,
                Map.of(
                        "email",
                        "temp.support@academy.example",
                        "name",
                        "Temp Support",
                        "role",
                        "support",
                        "password",
                        "a perfectly fine passphrase"));
        String token;
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", "temp.support@academy.example", "password", "a perfectly fine passphrase"))) {
            token = ok(r, 200).get("token").asText();
        }
        try (Response r =
                server.call("PATCH", "/api/v1/users/" + staff.get("id").asText(), admin, Map.of("active", false))) {
            assertThat(ok(r, 200).get("active").asBoolean()).isFalse();
        }
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            assertThat(error(r, 401, "UNAUTHENTICATED")).isEmpty();
        }
        long revoked = server.db.read(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement(
                            "SELECT count(*) FROM staff_tokens WHERE user_id = ? AND revoked_reason = 'deactivated'")) {
                ps.setObject(1, UUID.fromString(staff.get("id").asText()));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(revoked).isEqualTo(1);
    }

    @Test
    void theLastActiveAdminCannotBeDeactivated() throws Exception {
        String adminId;
        try (Response r = server.call("GET", "/api/v1/auth/me", admin, null)) {
            adminId = ok(r, 200).get("id").asText();
        }
        try (Response r = server.call("PATCH", "/api/v1/users/" + adminId, admin, Map.of("active", false))) {
            error(r, 409, "LAST_ADMIN");
        }
    }

    @Test
    void searchFindsAnyPartOfEmailOrNameCaseInsensitively() throws Exception {
        create(admin, Map.of("email", "zebediah.quux@academy.example", "name", "Zebediah Quux", "role", "student"));
        create(admin, Map.of("email", "someone@quuxmail.example", "name", "Some One", "role", "student"));
        for (String q : List.of("QUUX", "ebedi", "quuxmail")) {
            try (Response r = server.call("GET", "/api/v1/users?q=" + q, support, null)) {
                List<String> emails = new ArrayList<>();
                ok(r, 200).get("items").forEach(u -> emails.add(u.get("email").asText()));
                assertThat(emails).as(q).isNotEmpty().allMatch(e -> e.contains("quux") || e.contains("zebediah"));
            }
        }
        try (Response r = server.call("GET", "/api/v1/users?q=%25", support, null)) {
            assertThat(error(r, 400, "VALIDATION_ERROR")).isEqualTo("q");
        }
        try (Response r = server.call("GET", "/api/v1/users?q=_%25_", support, null)) {
            assertThat(ok(r, 200).get("items"))
                    .as("LIKE wildcards are matched literally")
                    .isEmpty();
        }
    }

    @Test
    void pagesNeitherRepeatNorSkipRowsWhileUsersAreBeingAdded() throws Exception {
        for (int i = 0; i < 60; i++) {
            create(admin, Map.of("email", "pager" + i + "@academy.example", "name", "Pager " + i, "role", "student"));
        }
        var stop = new AtomicBoolean();
        var writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; !stop.get() && i < 200; i++) {
                try {
                    create(
                            admin,
                            Map.of("email", "late" + i + "@academy.example", "name", "Late " + i, "role", "student"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        var seen = new ArrayList<String>();
        String cursor = null;
        try {
            do {
                String url = "/api/v1/users?role=student&limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
                try (Response r = server.call("GET", url, support, null)) {
                    JsonNode page = ok(r, 200);
                    page.get("items").forEach(u -> seen.add(u.get("email").asText()));
                    cursor = page.get("nextCursor").isNull()
                            ? null
                            : page.get("nextCursor").asText();
                }
            } while (cursor != null);
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(new HashSet<>(seen)).as("no duplicates").hasSize(seen.size());
        for (int i = 0; i < 60; i++) {
            assertThat(seen).as("no gaps").contains("pager" + i + "@academy.example");
        }
    }

    @Test
    void aForgedCursorIsAValidationError() throws Exception {
        try (Response r = server.call("GET", "/api/v1/users?cursor=bm90LWEtY3Vyc29y", support, null)) {
            assertThat(error(r, 400, "VALIDATION_ERROR")).isEqualTo("cursor");
        }
        try (Response r = server.call("GET", "/api/v1/users?limit=501", support, null)) {
            assertThat(error(r, 400, "VALIDATION_ERROR")).isEqualTo("limit");
        }
    }

    @Test
    void dormantStaffAreListedForTheAccessReview() throws Exception {
        create(
                admin,
                Map.of(
                        "email",
                        "never.signed.in@academy.example",
                        "name",
                        "Never Signed",
                        "role",
                        "auditor",
                        "password",
                        "a perfectly fine passphrase"));
        JsonNode longAgo = create(
                admin,
                Map.of(
                        "email",
                        "long.ago@academy.example",
                        "name",
                        "Long Ago",
                        "role",
                        "support",
                        "password",
                        "a perfectly fine passphrase"));
        server.db.inTransaction(tx -> {
            try (var ps = tx.connection().prepareStatement("UPDATE users SET last_login = ? WHERE id = ?")) {
                ps.setTimestamp(
                        1, java.sql.Timestamp.from(server.clock.instant().minus(Duration.ofDays(91))));
                ps.setObject(2, UUID.fromString(longAgo.get("id").asText()));
                return ps.executeUpdate();
            }
        });
        try (Response r = server.call("GET", "/api/v1/users?dormantDays=90", support, null)) {
            List<String> emails = new ArrayList<>();
            ok(r, 200).get("items").forEach(u -> emails.add(u.get("email").asText()));
            assertThat(emails)
                    .contains("never.signed.in@academy.example", "long.ago@academy.example")
                    .doesNotContain(TestServer.SUPPORT);
            assertThat(emails).noneMatch(e -> e.startsWith("pager") || e.startsWith("ada."));
        }
    }

    @Test
    void theCsvExportStreamsTheWholeFilteredListSafelyAndIsAudited() throws Exception {
        create(
                admin,
                Map.of(
                        "email",
                        "formula@academy.example",
                        "name",
                        "=HYPERLINK(\"http://evil\",\"x\")",
                        "role",
                        "instructor"));
        for (int i = 0; i < 5; i++) {
            create(
                    admin,
                    Map.of("email", "teacher" + i + "@academy.example", "name", "Teacher, " + i, "role", "instructor"));
        }
        try (Response r = server.call("GET", "/api/v1/users/export.csv?role=instructor&limit=2", support, null)) {
            String csv = r.body().string();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/csv");
            assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"users.csv\"");
            List<String> lines = csv.lines().toList();
            assertThat(lines.getFirst()).startsWith("id,email,name,role");
            assertThat(lines).as("the whole list, not a page").hasSizeGreaterThanOrEqualTo(7);
            assertThat(csv)
                    .contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")
                    .contains("\"Teacher, 3\"");
        }
        Map<String, Object> row = new HashMap<>();
        server.db.read(tx -> {
            try (var ps = tx.connection()
                            .prepareStatement(
                                    "SELECT details->>'rows', details->'filter'->>'role' FROM audit_log WHERE action = 'user.list_exported'");
                    var rs = ps.executeQuery()) {
                rs.next();
                row.put("rows", rs.getString(1));
                row.put("role", rs.getString(2));
                return null;
            }
        });
        assertThat(Integer.parseInt((String) row.get("rows"))).isGreaterThanOrEqualTo(6);
        assertThat(row.get("role")).isEqualTo("instructor");
    }
}
