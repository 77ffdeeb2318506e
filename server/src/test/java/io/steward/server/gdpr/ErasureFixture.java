package io.steward.server.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.util.Map;
import okhttp3.Response;

/**
 * A person to erase on a test server, with history in every table the platform writes (an
 * enrolment, a message, a session from a known address, an e-mail log), a second admin for the four
 * eyes, and the steps of a rectification and an erasure through the API.
 */
public final class ErasureFixture {
    public static final String OLD_EMAIL = "wilhelmina.oldname@academy.example";
    public static final String OLD_NAME = "Wilhelmina Oldname";
    public static final String NEW_EMAIL = "wilhelmina.newname@academy.example";
    public static final String NEW_NAME = "Wilhelmina Newname";
    public static final String IP = "203.0.113.7";
    /** Every personal value of the subject some table held before the erasure. */
    public static final java.util.List<String> VALUES =
            java.util.List.of(OLD_EMAIL, OLD_NAME, NEW_EMAIL, NEW_NAME, IP, "Oldname", "Newname");

    public final TestServer server;
    public final String admin;
    public final String secondAdmin;
    public final String support;
    public final String subject;

    public ErasureFixture(TestServer server) throws Exception {
        this.server = server;
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
                        + " (gen_random_uuid(), '" + subject + "', now(), '" + IP + "', 'Firefox')");
                s.execute(
                        "INSERT INTO email_logs (id, user_id, to_address, template, status) VALUES (gen_random_uuid(), '"
                                + subject + "', '" + OLD_EMAIL + "', 'welcome', 'delivered')");
            }
            return null;
        });
    }

    public JsonNode call(String method, String path, String token, Object body, int status) throws Exception {
        try (Response r = server.call(method, path, token, body)) {
            String text = r.body().string();
            assertThat(r.code()).as(method + " " + path + " → " + text).isEqualTo(status);
            return text.isEmpty() ? server.mapper.nullNode() : server.mapper.readTree(text);
        }
    }

    public void rectify() throws Exception {
        JsonNode fixed = call(
                "POST",
                "/api/v1/users/" + subject + "/rectify",
                support,
                Map.of("name", NEW_NAME, "email", NEW_EMAIL, "reason", "subject asked by e-mail"),
                200);
        assertThat(fixed.get("name").asText()).isEqualTo(NEW_NAME);
    }

    public String approvedErasure() throws Exception {
        String id = call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", subject, "type", "erasure"), 201)
                .get("id")
                .asText();
        // the second admin verifies and the first approves: the approver's account is not one the
        // verifier created (four eyes means two persons)
        call("POST", "/api/v1/gdpr/requests/" + id + "/verify", secondAdmin, Map.of(), 200);
        call("POST", "/api/v1/gdpr/requests/" + id + "/approve", admin, Map.of(), 200);
        return id;
    }

    /** Erases the subject: requested by support, verified by one admin, approved by another, completed. */
    public JsonNode erase() throws Exception {
        return call("POST", "/api/v1/gdpr/requests/" + approvedErasure() + "/complete", admin, Map.of(), 200);
    }
}
