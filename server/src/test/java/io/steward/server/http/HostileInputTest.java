package io.steward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.auth.AccessPolicy;
import io.steward.server.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Malformed and hostile requests to every route of the table, as every kind of caller: the answer
 * is never a 5xx, an error is always in the contract's shape, and nothing leaks.
 */
class HostileInputTest {
    static TestServer server;
    static String adminToken;

    @BeforeContainer
    static void start() {
        server = TestServer.start("hostile_input");
        adminToken = server.login(TestServer.ADMIN);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    record Attack(String method, String path, String contentType, byte[] body, boolean withToken) {
        @Override
        public String toString() {
            return method + " " + path + " [" + contentType + ", " + body.length + " bytes, token=" + withToken + "]";
        }
    }

    @Provide
    Arbitrary<Attack> attacks() {
        List<Route> routes = AccessPolicy.routes().stream()
                .filter(r -> !r.template().equals("/api/v1/auth/logout"))
                .toList();
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.of(
                        "..",
                        "%2e%2e",
                        "%00",
                        "%ff%fe",
                        "' OR 1=1 --",
                        "<script>",
                        "00000000-0000-0000-0000-000000000000",
                        "😀",
                        "%252F",
                        "a%2Fb",
                        "-1",
                        "99999999999999999999"));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of(routes), segment)
                .as((route, s) -> route.template().replaceAll("\\{[a-z]+}", encode(s)));
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE");
        Arbitrary<String> contentType = Arbitraries.of(
                "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "");
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(
                                "{}",
                                "[]",
                                "null",
                                "{\"email\": 1}",
                                "{\"email\": \"a@b.c\", \"password\": []}",
                                "{\"email\": \"\\u0000\", \"password\": \"\\ud800\"}",
                                "{\"a\":".repeat(200),
                                "{\"limit\": -1, \"cursor\": \"%%%\"}",
                                "\"" + "x".repeat(5000) + "\"")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
        return Combinators.combine(method, path, contentType, body, Arbitraries.of(true, false))
                .as(Attack::new);
    }

    private static String encode(String s) {
        return s.contains("%")
                ? s
                : java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Property(tries = 400)
    void hostileRequestsGetA4xxInTheErrorShapeNeverA5xx(@ForAll("attacks") Attack attack) throws Exception {
        boolean hasBody = !attack.method().equals("GET") && !attack.method().equals("DELETE");
        var builder = new Request.Builder()
                .url(server.baseUrl + attack.path())
                .method(
                        attack.method(),
                        hasBody
                                ? RequestBody.create(
                                        attack.body(),
                                        attack.contentType().isEmpty() ? null : MediaType.get(attack.contentType()))
                                : null);
        if (attack.withToken()) {
            builder.header("Authorization", "Bearer " + adminToken);
        }
        try (Response r = server.execute(builder.build())) {
            if (String.valueOf(r.header("Content-Type")).startsWith("text/event-stream")) {
                // a live event stream opened: a valid answer, and one that never ends
                assertThat(r.code()).isEqualTo(200);
                return;
            }
            String text = r.body().string();
            assertThat(r.code()).as(attack + " → " + text).isLessThan(500);
            if (r.code() >= 400) {
                JsonNode error = server.mapper.readTree(text).get("error");
                assertThat(error).as(text).isNotNull();
                assertThat(error.get("code").asText()).isNotBlank();
                assertThat(error.get("requestId").asText()).isEqualTo(r.header("X-Request-Id"));
                assertThat(text).doesNotContainIgnoringCase("exception").doesNotContain("SQL");
            }
        }
    }
}
