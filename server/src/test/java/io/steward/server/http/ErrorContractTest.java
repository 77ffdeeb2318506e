package io.steward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error path answers in the contract's shape, with the request id, and leaks nothing. */
class ErrorContractTest {
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start("error_contract");
        token = server.login(TestServer.ADMIN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts the error shape and returns the error object. */
    static JsonNode assertError(Response r, int status, String code) throws Exception {
        String raw = r.body().string();
        assertThat(r.code()).as(raw).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode error = server.mapper.readTree(raw).get("error");
        assertThat(error).as(raw).isNotNull();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("requestId").asText())
                .isEqualTo(r.header("X-Request-Id"))
                .isNotBlank();
        assertThat(raw)
                .doesNotContainIgnoringCase("exception")
                .doesNotContain("at io.")
                .doesNotContain("java.")
                .doesNotContain("com.fasterxml")
                .doesNotContainIgnoringCase("select ")
                .doesNotContain("SQL");
        return error;
    }

    private Response raw(String method, String path, String contentType, byte[] body) {
        var builder = new Request.Builder()
                .url(server.baseUrl + path)
                .header("Authorization", "Bearer " + token)
                .method(method, RequestBody.create(body, contentType == null ? null : MediaType.get(contentType)));
        return server.execute(builder.build());
    }

    @Test
    void anUnknownRouteIsNotFound() throws Exception {
        try (Response r = server.call("GET", "/api/v1/nothing-here", token, null)) {
            assertError(r, 404, "NOT_FOUND");
        }
        try (Response r = server.call("GET", "/", null, null)) {
            assertError(r, 404, "NOT_FOUND");
        }
    }

    @Test
    void aKnownPathWithTheWrongMethodIsMethodNotAllowed() throws Exception {
        try (Response r = server.call("DELETE", "/api/v1/auth/me", token, null)) {
            assertError(r, 405, "METHOD_NOT_ALLOWED");
            assertThat(r.header("Allow")).isEqualTo("GET");
        }
        try (Response r = server.call("GET", "/api/v1/auth/login", null, null)) {
            assertError(r, 405, "METHOD_NOT_ALLOWED");
            assertThat(r.header("Allow")).isEqualTo("POST");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON at all          | nope",
                "truncated object         | {\"email\": \"a@b.c\"",
                "an array, not an object  | [1, 2, 3]",
                "trailing garbage         | {\"email\": \"a@b.c\", \"password\": \"x\"} extra",
                "a bare string            | \"hello\"",
                "null                     | null",
            })
    void unparseableJsonIsMalformed(String description, String body) throws Exception {
        try (Response r = raw("POST", "/api/v1/auth/login", "application/json", body.getBytes())) {
            assertError(r, 400, "MALFORMED_REQUEST");
        }
    }

    @Test
    void aValueOfTheWrongTypeIsMalformedAndNamesTheField() throws Exception {
        try (Response r = raw(
                "POST",
                "/api/v1/auth/login",
                "application/json",
                "{\"email\": {\"nested\": true}, \"password\": \"x\"}".getBytes())) {
            var error = assertError(r, 400, "MALFORMED_REQUEST");
            assertThat(error.get("message").asText()).contains("email");
        }
    }

    /**
     * PostgreSQL cannot store a NUL character in text: free text carrying one, on any write, is
     * refused naming the field, and nothing is written (it used to reach the database and fail
     * there as an internal error).
     */
    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/gdpr/requests, note",
        "PATCH, /api/v1/users/{me}, name",
        "POST, /api/v1/silences, reason",
        "POST, /api/v1/auth/login, email"
    })
    void aNulCharacterInTextIsMalformedAndNamesTheField(String method, String path, String field) throws Exception {
        String me;
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            me = server.json(r).get("id").asText();
        }
        var body = new java.util.HashMap<String, Object>(
                switch (field) {
                    case "note" -> Map.of("userId", me, "type", "access");
                    case "reason" ->
                        Map.of(
                                "matcher",
                                "*",
                                "endsAt",
                                java.time.Instant.now().plusSeconds(3600).toString());
                    case "email" -> Map.of("password", "x");
                    default -> Map.of();
                });
        body.put(field, "before\u0000after");
        long auditBefore = auditEntries();
        try (Response r = server.call(method, path.replace("{me}", me), token, body)) {
            var error = assertError(r, 400, "MALFORMED_REQUEST");
            assertThat(error.get("message").asText()).contains(field).contains("NUL");
        }
        assertThat(auditEntries()).isEqualTo(auditBefore);
    }

    private static long auditEntries() {
        return server.db.read(tx -> {
            try (var s = tx.connection().createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void anUnknownFieldIsMalformedAndNamed() throws Exception {
        try (Response r = server.call(
                "POST", "/api/v1/auth/login", null, Map.of("email", "a@b.c", "password", "x", "role", "admin"))) {
            var error = assertError(r, 400, "MALFORMED_REQUEST");
            assertThat(error.get("message").asText()).contains("role");
        }
    }

    @Test
    void anEmptyBodyIsMalformed() throws Exception {
        try (Response r = raw("POST", "/api/v1/auth/login", "application/json", new byte[0])) {
            assertError(r, 400, "MALFORMED_REQUEST");
        }
    }

    @Test
    void aBodyOverOneMebibyteIsTooLarge() throws Exception {
        byte[] big = ("{\"email\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        try (Response r = raw("POST", "/api/v1/auth/login", "application/json", big)) {
            assertError(r, 413, "PAYLOAD_TOO_LARGE");
        }
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() throws Exception {
        byte[] body = ("{\"email\": \"" + "a".repeat(1024 * 1024 - 100) + "\", \"password\": \"x\"}").getBytes();
        try (Response r = raw("POST", "/api/v1/auth/login", "application/json", body)) {
            var error = assertError(r, 400, "VALIDATION_ERROR");
            assertThat(error.get("field").asText()).isEqualTo("email");
        }
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType(String contentType) throws Exception {
        try (Response r = raw("POST", "/api/v1/auth/login", contentType, "email=a&password=b".getBytes())) {
            assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE");
        }
    }

    @Test
    void anUnexpectedFailureIsAGenericInternalError() throws Exception {
        // break the schema under the running server (as its owner): a real, unplanned database failure
        TestDatabase.asOwner(server.db, "ALTER TABLE staff_tokens RENAME COLUMN last_used_at TO last_used_at_moved");
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            var error = assertError(r, 500, "INTERNAL_ERROR");
            assertThat(error.get("message").asText()).contains("request id");
        } finally {
            TestDatabase.asOwner(
                    server.db, "ALTER TABLE staff_tokens RENAME COLUMN last_used_at_moved TO last_used_at");
        }
    }

    @Test
    void theRequestIdIsEchoedWhenSaneAndGeneratedOtherwise() {
        try (Response r = server.execute(new Request.Builder()
                .url(server.baseUrl + "/health/live")
                .header("X-Request-Id", "abc-123.x")
                .build())) {
            assertThat(r.header("X-Request-Id")).isEqualTo("abc-123.x");
        }
        try (Response r = server.execute(new Request.Builder()
                .url(server.baseUrl + "/health/live")
                .header("X-Request-Id", "evil id with spaces <script>")
                .build())) {
            assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        }
        try (Response r = server.call("GET", "/health/live", null, null)) {
            assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/health/live", "/api/v1/auth/me", "/no/such/path"}) {
            try (Response r = server.call("GET", path, null, null)) {
                assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
                assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
                assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
                assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            }
        }
    }
}
