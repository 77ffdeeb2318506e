package io.steward.server.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rectification with before/after in the audit trail, then erasure that leaves no trace of the person. */
class ErasureTest {
    static final String OLD_EMAIL = ErasureFixture.OLD_EMAIL;
    static final String OLD_NAME = ErasureFixture.OLD_NAME;
    static final String NEW_EMAIL = ErasureFixture.NEW_EMAIL;
    static final String NEW_NAME = ErasureFixture.NEW_NAME;

    TestServer server;
    ErasureFixture fixture;
    String admin;
    String secondAdmin;
    String support;
    String subject;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("erasure");
        fixture = new ErasureFixture(server);
        admin = fixture.admin;
        secondAdmin = fixture.secondAdmin;
        support = fixture.support;
        subject = fixture.subject;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode call(String method, String path, String token, Object body, int status) throws Exception {
        return fixture.call(method, path, token, body, status);
    }

    void rectify() throws Exception {
        fixture.rectify();
    }

    String approvedErasure() throws Exception {
        return fixture.approvedErasure();
    }

    List<String> tablesContaining(String value) {
        return TestDatabase.tablesContaining(server.db, value);
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
        TestDatabase.asOwner(server.db, "ALTER TABLE user_sessions RENAME COLUMN user_agent TO user_agent_moved");
        try {
            call("POST", "/api/v1/gdpr/requests/" + request + "/complete", admin, Map.of(), 500);
        } finally {
            TestDatabase.asOwner(server.db, "ALTER TABLE user_sessions RENAME COLUMN user_agent_moved TO user_agent");
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
