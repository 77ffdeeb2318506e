package io.steward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Endpoint;
import io.steward.server.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Malformed and hostile requests to every route of the table, as every kind of caller (none,
 * each role, a forged token, an expired one, a revoked one): hostile strings in the path and in
 * every query parameter, malformed, mistyped, deeply nested and huge bodies. The answer is never
 * a 5xx, comes within seconds, an error is always in the contract's shape and leaks nothing, a
 * refused request writes nothing, and the server stays healthy.
 */
class HostileInputTest {
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    static final List<String> QUERY_NAMES = List.of(
            "q",
            "role",
            "status",
            "type",
            "limit",
            "cursor",
            "from",
            "to",
            "userId",
            "actorId",
            "subjectId",
            "dormantDays",
            "overdue",
            "name",
            "window",
            "percentage",
            "format",
            "dryRun",
            "check");

    static TestServer server;
    static final Map<Caller, String> tokens = new java.util.EnumMap<>(Caller.class);

    enum Caller {
        NONE,
        ADMIN,
        SUPPORT,
        AUDITOR,
        FORGED,
        EXPIRED,
        REVOKED
    }

    @BeforeContainer
    static void start() {
        server = TestServer.startWith("hostile_input", "--backup-daily", "off");
        tokens.put(Caller.EXPIRED, server.login(TestServer.ADMIN));
        // tokens lapse after 8 idle hours; the ones made after this are fresh
        server.clock.advance(Duration.ofHours(9));
        String revoked = server.login(TestServer.ADMIN);
        try (Response r = server.call("POST", "/api/v1/auth/logout", revoked, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        tokens.put(Caller.REVOKED, revoked);
        tokens.put(Caller.ADMIN, server.login(TestServer.ADMIN));
        tokens.put(Caller.SUPPORT, server.login(TestServer.SUPPORT));
        tokens.put(Caller.AUDITOR, server.login(TestServer.AUDITOR));
        tokens.put(Caller.FORGED, "c3Rld2FyZC1mb3JnZWQtdG9rZW4tMDAwMDAwMDAwMDAwMDAwMA");
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    record Attack(String method, String path, String query, String contentType, byte[] body, Caller caller) {
        @Override
        public String toString() {
            String shown = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
            return method + " " + path + query + " [" + contentType + ", " + body.length + " bytes: " + shown
                    + ", caller " + caller + "]";
        }
    }

    /** Strings that have broken servers: traversal, injection, encodings, numbers out of range, odd unicode. */
    static Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of(
                        "..",
                        "../../../../etc/passwd",
                        "..%2f..%2fetc%2fpasswd",
                        "%00",
                        "\u0000",
                        "a\u202Eb", // right-to-left override
                        "\uD800", // lone surrogate
                        "\uDFFF\uD800",
                        "' OR 1=1 --",
                        "'; DROP TABLE users; --",
                        "\" OR \"\"=\"",
                        "<script>alert(1)</script>",
                        "${jndi:ldap://127.0.0.1/a}",
                        "-1",
                        "0",
                        "2147483648",
                        "99999999999999999999",
                        "1e309",
                        "NaN",
                        "null",
                        "[]",
                        "{}",
                        "x".repeat(10_000),
                        "😀",
                        "%252F",
                        "00000000-0000-0000-0000-000000000000",
                        "2026-02-30T25:61:00Z",
                        "bm90LWEtY3Vyc29y"));
    }

    /** Percent-encodes as UTF-8 bytes; a lone surrogate becomes the bytes of an invalid sequence. */
    static String encode(String s) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                out.append("%ED%A0%80");
            } else if (Character.isHighSurrogate(c)) {
                out.append(java.net.URLEncoder.encode(s.substring(i, i + 2), StandardCharsets.UTF_8));
                i++;
            } else {
                out.append(java.net.URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
            }
        }
        return out.toString().replace("+", "%20");
    }

    @Provide
    Arbitrary<Attack> attacks() {
        List<Endpoint> routes = java.util.Arrays.stream(Endpoint.values())
                .filter(r -> !r.template().equals("/api/v1/auth/logout"))
                .toList();
        Arbitrary<String> segment = Arbitraries.oneOf(
                hostile().map(HostileInputTest::encode), Arbitraries.of("%2e%2e", "%ff%fe", "a%2Fb", "%252F"));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of(routes), segment)
                .as((route, s) ->
                        route.template().replaceAll("\\{[a-z]+}", java.util.regex.Matcher.quoteReplacement(s)));
        Arbitrary<String> parameter = Combinators.combine(Arbitraries.of(QUERY_NAMES), hostile())
                .as((name, value) -> name + "=" + encode(value));
        Arbitrary<String> query = parameter.list().ofMaxSize(3).map(p -> p.isEmpty() ? "" : "?" + String.join("&", p));
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE");
        Arbitrary<String> contentType = Arbitraries.of(
                "application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "");
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                hostile().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                hostile().map(s -> jsonOf(Map.of("email", s, "name", s, "password", s, "reason", s, "type", s))),
                hostile()
                        .map(s -> ("{\"userId\":\"" + s.replace("\"", "") + "\",\"type\":\"access\"}")
                                .getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(
                                "{}",
                                "[]",
                                "null",
                                "{\"email\": 1}",
                                "{\"email\": {\"$gt\": \"\"}}",
                                "{\"name\": 12345, \"active\": \"yes\", \"role\": []}",
                                "{\"email\": \"a@b.c\", \"password\": []}",
                                "{\"email\": \"\\u0000\", \"password\": \"\\ud800\"}",
                                "{\"name\": \"\\u202Eevil\"}",
                                "{\"percentage\": 1e309, \"enabled\": null}",
                                "{\"months\": -2147483649, \"reason\": \"\"}",
                                "{\"a\":".repeat(200),
                                "[".repeat(100_000),
                                "{\"limit\": -1, \"cursor\": \"%%%\"}",
                                "\"" + "x".repeat(5000) + "\"",
                                "{\"name\": \"" + "y".repeat(2_000_000) + "\"}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
        return Combinators.combine(method, path, query, contentType, body, Arbitraries.of(Caller.values()))
                .as(Attack::new);
    }

    static byte[] jsonOf(Object value) {
        try {
            return server.mapper.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a request could have changed: rows and versions of every table a route writes, and the
     * audit entries other than sign-in attempts (which are recorded even when refused, by design).
     */
    static List<Long> fingerprint() {
        return server.db.read(tx -> {
            try (var s = tx.connection().createStatement();
                    ResultSet rs = s.executeQuery("""
                            SELECT (SELECT count(*) FROM users), (SELECT coalesce(sum(version), 0) FROM users),
                                   (SELECT count(*) FROM gdpr_requests), (SELECT coalesce(sum(version), 0) FROM gdpr_requests),
                                   (SELECT count(*) FROM gdpr_request_recipients WHERE notified_at IS NOT NULL),
                                   (SELECT count(*) FROM feature_flags), (SELECT coalesce(sum(version), 0) FROM feature_flags),
                                   (SELECT count(*) FROM alert_rules), (SELECT coalesce(sum(version), 0) FROM alert_rules),
                                   (SELECT count(*) FROM silences), (SELECT count(*) FROM backups),
                                   (SELECT count(*) FROM staff_tokens WHERE revoked_at IS NOT NULL),
                                   (SELECT count(*) FROM audit_log WHERE action NOT LIKE 'auth.%')
                            """)) {
                rs.next();
                var values = new ArrayList<Long>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getLong(i));
                }
                return values;
            }
        });
    }

    @Property(tries = 500)
    void hostileRequestsGetA4xxInTheErrorShapeQuicklyAndWriteNothing(@ForAll("attacks") Attack attack)
            throws Exception {
        boolean hasBody = !attack.method().equals("GET") && !attack.method().equals("DELETE");
        var builder = new Request.Builder()
                .url(server.baseUrl + attack.path() + attack.query())
                .method(
                        attack.method(),
                        hasBody
                                ? RequestBody.create(
                                        attack.body(),
                                        attack.contentType().isEmpty() ? null : MediaType.get(attack.contentType()))
                                : null);
        String token = tokens.get(attack.caller());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        // a backup an earlier attempt started (202) records its completion when it is done: let it finish
        server.server.backups().awaitIdle(Duration.ofSeconds(60));
        List<Long> before = fingerprint();
        long started = System.nanoTime();
        try (Response r = server.execute(builder.build())) {
            if (String.valueOf(r.header("Content-Type")).startsWith("text/event-stream")) {
                // a live event stream opened: a valid answer, and one that never ends
                assertThat(r.code()).isEqualTo(200);
                return;
            }
            String text = r.body().string();
            Statistics.collect(r.code() / 100 + "xx");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("answered in time: %s", attack)
                    .isLessThan(ANSWER_WITHIN);
            assertThat(r.code()).as(attack + " → " + text).isLessThan(500);
            if (r.code() >= 400) {
                JsonNode error = server.mapper.readTree(text).get("error");
                assertThat(error).as(text).isNotNull();
                assertThat(error.get("code").asText()).isNotBlank();
                assertThat(error.get("requestId").asText()).isEqualTo(r.header("X-Request-Id"));
                assertThat(text)
                        .as("no internals in %s", text)
                        .doesNotContainIgnoringCase("exception")
                        .doesNotContain("SQL")
                        .doesNotContain("org.postgresql")
                        .doesNotContain("\tat ")
                        .doesNotContain("io.steward");
                assertThat(fingerprint())
                        .as("a refused request wrote nothing: %s", attack)
                        .isEqualTo(before);
            }
            if (attack.caller() == Caller.FORGED
                    || attack.caller() == Caller.EXPIRED
                    || attack.caller() == Caller.REVOKED) {
                if (!java.util.Arrays.stream(Endpoint.values())
                        .anyMatch(route ->
                                route.permission().isPublic() && attack.path().equals(route.template()))) {
                    assertThat(r.code())
                            .as("no way in with a bad token: %s", attack)
                            .isIn(401, 404, 405, 400, 413, 414);
                }
            }
        }
        try (Response live = server.call("GET", "/health/ready", null, null)) {
            assertThat(live.code()).as("healthy after %s", attack).isEqualTo(200);
        }
    }
}
