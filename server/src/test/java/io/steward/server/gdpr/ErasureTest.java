package io.steward.server.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rectification with before/after in the audit trail, then erasure that leaves no trace of the person. */
class ErasureTest {
    static final String OLD_EMAIL = "wilhelmina.oldname@academy.example";
    static final String OLD_NAME = "Wilhelmina Oldname";
    static final String NEW_EMAIL = "wilhelmina.newname@academy.example";
    static final String NEW_NAME = "Wilhelmina Newname";

    TestServer server;
    String admin;
    String secondAdmin;
    String support;
    String subject;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("erasure");
        admin = server.tokenFor(Role.ADMIN);
        support = server.tokenFor(Role.SUPPORT);
        call(
                "POST",
                "/api/v1/users",
                admin,
                Map.of(
                        "email",
                        "other.admin@academy.example",
                        "name",
                        "Other Admin",
                        "role",
                        "admin",
                        "password",
                        "another fine passphrase"),
                201);
        secondAdmin = call(
                        "POST",
                        "/api/v1/auth/login",
                        null,
                        Map.of("email", "other.admin@academy.example", "password", "another fine passphrase"),
                        200)
                .get("token")
                .asText();
        subject = call(
                        "POST",
                        "/api/v1/users",
                        support,
                        Map.of("email", OLD_EMAIL, "name", OLD_NAME, "role", "student"),
                        201)
                .get("id")
                .asText();
        // some history, as the platform would have written it
        server.db.inTransaction(tx -> {
            try (var s = tx.connection().createStatement()) {
                s.execute("INSERT INTO programs (id, code, title) VALUES (gen_random_uuid(), 'PRG-1', 'Data 101')");
                s.execute("INSERT INTO enrollments (id, user_id, program_id, status, grade) SELECT gen_random_uuid(), '"
                        + subject + "', id, 'completed', 91.5 FROM programs");
                s.execute(
                        "INSERT INTO communications (id, user_id, channel, subject, body) VALUES (gen_random_uuid(), '"
                                + subject + "', 'email', 'Hello " + OLD_NAME + "', 'Dear " + OLD_NAME + ", welcome')");
                s.execute("INSERT INTO user_sessions (id, user_id, started_at, ip_address, user_agent) VALUES"
                        + " (gen_random_uuid(), '" + subject + "', now(), '203.0.113.7', 'Firefox')");
                s.execute(
                        "INSERT INTO email_logs (id, user_id, to_address, template, status) VALUES (gen_random_uuid(), '"
                                + subject + "', '" + OLD_EMAIL + "', 'welcome', 'delivered')");
            }
            return null;
        });
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

    void rectify() throws Exception {
        JsonNode fixed = call(
                "POST",
                "/api/v1/users/" + subject + "/rectify",
                support,
                Map.of("name", NEW_NAME, "email", NEW_EMAIL, "reason", "subject asked by e-mail"),
                200);
        assertThat(fixed.get("name").asText()).isEqualTo(NEW_NAME);
    }

    String approvedErasure() throws Exception {
        String id = call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", subject, "type", "erasure"), 201)
                .get("id")
                .asText();
        call("POST", "/api/v1/gdpr/requests/" + id + "/verify", admin, Map.of(), 200);
        call("POST", "/api/v1/gdpr/requests/" + id + "/approve", secondAdmin, Map.of(), 200);
        return id;
    }

    /** Every table, every column, as text: where does the value still appear? */
    List<String> tablesContaining(String value) {
        return server.db.read(tx -> {
            var tables = new ArrayList<String>();
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                            + " AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            var found = new ArrayList<String>();
            for (String table : tables) {
                try (var ps = tx.connection()
                        .prepareStatement(
                                "SELECT count(*) FROM " + table + " t WHERE position(lower(?) in lower(t::text)) > 0"
                                        + " OR position(lower(?) in lower(encode(convert_to(t::text, 'UTF8'), 'escape'))) > 0")) {
                    ps.setString(1, value);
                    ps.setString(2, value);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(table);
                        }
                    }
                }
            }
            return found;
        });
    }

    @Test
    void rectificationKeepsBeforeAndAfterInTheTrailReadableOnlyWithTheSubjectsKey() throws Exception {
        rectify();
        JsonNode entry = call("GET", "/api/v1/audit?type=user.rectified", admin, null, 200)
                .at("/items/0");
        assertThat(entry.at("/details/fields").toString()).contains("name").contains("email");
        assertThat(entry.at("/details/personal/before/name").asText()).isEqualTo(OLD_NAME);
        assertThat(entry.at("/details/personal/after/email").asText()).isEqualTo(NEW_EMAIL);
        assertThat(tablesContaining(OLD_NAME))
                .as("the old name is only in the platform's own tables")
                .doesNotContain("audit_log", "users");
    }

    @Test
    void erasureLeavesNoTraceOfTheEmailOrNameAnywhereAndTheChainStillVerifies() throws Exception {
        rectify();
        String request = approvedErasure();
        JsonNode done = call("POST", "/api/v1/gdpr/requests/" + request + "/complete", admin, Map.of(), 200);
        assertThat(done.get("status").asText()).isEqualTo("completed");

        for (String value : List.of(OLD_EMAIL, OLD_NAME, NEW_EMAIL, NEW_NAME, "203.0.113.7", "Oldname", "Newname")) {
            assertThat(tablesContaining(value)).as(value).isEmpty();
        }
        assertThat(call("GET", "/api/v1/audit/verify", admin, null, 200)
                        .get("valid")
                        .asBoolean())
                .isTrue();
        assertThat(call("GET", "/api/v1/users?q=newname", support, null, 200).get("items"))
                .isEmpty();
        JsonNode entry = call("GET", "/api/v1/audit?type=user.rectified", admin, null, 200)
                .at("/items/0");
        assertThat(entry.at("/details/personal").asText()).isEqualTo("erased");
        try (Response r = server.call("GET", "/api/v1/users/" + subject + "/export", support, null)) {
            String export = r.body().string();
            assertThat(export)
                    .doesNotContain(OLD_EMAIL)
                    .doesNotContain(NEW_NAME)
                    .contains("erased-" + subject);
        }
        JsonNode user = call("GET", "/api/v1/users/" + subject, admin, null, 200);
        assertThat(user.get("anonymized").asBoolean()).isTrue();
        assertThat(user.at("/counts/enrollments").asLong())
                .as("what reports count stays")
                .isEqualTo(1);
    }

    @Test
    void erasureIsRolledBackWholeWhenAStepFails() throws Exception {
        String request = approvedErasure();
        server.db.inTransaction(tx -> tx.connection()
                .createStatement()
                .execute("ALTER TABLE user_sessions RENAME COLUMN user_agent TO user_agent_moved"));
        try {
            call("POST", "/api/v1/gdpr/requests/" + request + "/complete", admin, Map.of(), 500);
        } finally {
            server.db.inTransaction(tx -> tx.connection()
                    .createStatement()
                    .execute("ALTER TABLE user_sessions RENAME COLUMN user_agent_moved TO user_agent"));
        }
        assertThat(call("GET", "/api/v1/gdpr/requests/" + request, admin, null, 200)
                        .get("status")
                        .asText())
                .isEqualTo("approved");
        JsonNode user = call("GET", "/api/v1/users/" + subject, admin, null, 200);
        assertThat(user.get("email").asText()).isEqualTo(OLD_EMAIL);
        assertThat(user.get("anonymized").asBoolean()).isFalse();
        assertThat(tablesContaining(OLD_NAME)).contains("communications");
        // and once the fault is gone, the same request completes
        call("POST", "/api/v1/gdpr/requests/" + request + "/complete", admin, Map.of(), 200);
        assertThat(tablesContaining(OLD_EMAIL)).isEmpty();
    }

    @Test
    void anErasedUserCannotBeChangedOrRectified() throws Exception {
        call("POST", "/api/v1/gdpr/requests/" + approvedErasure() + "/complete", admin, Map.of(), 200);
        call("PATCH", "/api/v1/users/" + subject, admin, Map.of("name", "Back Again"), 409);
        call("POST", "/api/v1/users/" + subject + "/rectify", support, Map.of("name", "Back", "reason", "x"), 409);
        assertThat(UUID.fromString(subject)).isNotNull();
    }
}
