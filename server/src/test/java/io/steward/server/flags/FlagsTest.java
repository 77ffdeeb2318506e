package io.steward.server.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagsTest {
    static TestServer server;
    static String admin;
    static String support;

    @BeforeAll
    static void start() {
        server = TestServer.start("flags");
        admin = server.tokenFor(Role.ADMIN);
        support = server.tokenFor(Role.SUPPORT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({
        "'', 0, 0",
        "hello, 0, 613153351",
        "'The quick brown fox jumps over the lazy dog', 0, 776992547",
        "'Hello, world!', 1234, -84488781"
    })
    void murmur3MatchesTheReferenceVectors(String text, int seed, int expected) {
        assertThat(Murmur3.hash32(text, seed)).isEqualTo(expected);
    }

    @Test
    void bucketsMatchUnleashsNormalizedValue() {
        // unleash-client-node: normalizedValue('123', 'gr1') === 73, normalizedValue('999', 'groupX') === 25
        assertThat(Murmur3.bucket("gr1", "123")).isEqualTo(73);
        assertThat(Murmur3.bucket("groupX", "999")).isEqualTo(25);
    }

    @Test
    void thirtyPercentIsAboutThirtyPercentStableAndOnlyGrows() {
        List<String> users = IntStream.range(0, 20_000)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        long at30 = users.stream()
                .filter(u -> Murmur3.bucket("new-checkout", u) <= 30)
                .count();
        assertThat(at30).isBetween(5_400L, 6_600L);
        for (String u : users.subList(0, 1_000)) {
            int bucket = Murmur3.bucket("new-checkout", u);
            assertThat(Murmur3.bucket("new-checkout", u)).isEqualTo(bucket);
            assertThat(bucket).isBetween(1, 100);
            if (bucket <= 30) {
                assertThat(bucket).isLessThanOrEqualTo(50);
            }
        }
    }

    JsonNode put(String key, Map<String, ?> body, int expected) {
        try (Response r = server.call("PUT", "/api/v1/flags/" + key, admin, body)) {
            JsonNode json = server.json(r);
            assertThat(r.code()).as(json.toString()).isEqualTo(expected);
            return json;
        }
    }

    JsonNode evaluate(String key, String userId) {
        try (Response r = server.call("GET", "/api/v1/flags/" + key + "/evaluate?userId=" + userId, support, null)) {
            assertThat(r.code()).isEqualTo(200);
            return server.json(r);
        }
    }

    @Test
    void aFlagIsSetEvaluatedAndKilledAndEveryChangeIsAudited() {
        var flag = put("beta-search", Map.of("enabled", true, "percentage", 100, "description", "new search"), 200);
        assertThat(flag.get("version").asLong()).isEqualTo(1);
        assertThat(evaluate("beta-search", "anyone").get("reason").asText()).isEqualTo("rollout");
        assertThat(evaluate("beta-search", "anyone").get("enabled").asBoolean()).isTrue();

        put("beta-search", Map.of("enabled", false), 200);
        JsonNode killed = evaluate("beta-search", "anyone");
        assertThat(killed.get("enabled").asBoolean()).isFalse();
        assertThat(killed.get("reason").asText()).isEqualTo("disabled");

        try (Response r = server.call("GET", "/api/v1/audit?type=flag.updated", admin, null)) {
            JsonNode entry = server.json(r).get("items").get(0);
            assertThat(entry.at("/details/before/enabled").asBoolean()).isTrue();
            assertThat(entry.at("/details/after/enabled").asBoolean()).isFalse();
            assertThat(entry.at("/details/after/percentage").asInt()).isEqualTo(100);
        }
        try (Response r = server.call("GET", "/api/v1/flags", support, null)) {
            assertThat(server.json(r).get("items").findValuesAsText("key")).contains("beta-search");
        }
    }

    @Test
    void aChangeOnOneInstanceIsSeenByAnotherAtOnce() throws Exception {
        var config = io.steward.server.ServerConfig.parse(
                new String[] {
                    "--port",
                    "0",
                    "--data-dir",
                    java.nio.file.Path.of("target", "data", "flags_b").toString()
                },
                Map.of());
        try (var other = new io.steward.server.StewardServer(
                config, server.db, server.clock, io.steward.server.auth.AuthSettings.defaults())) {
            other.start();
            put("everywhere", Map.of("enabled", true, "percentage", 100), 200);
            String url = other.baseUrl() + "/api/v1/flags/everywhere/evaluate?userId=u-9";
            try (Response r = server.execute(new okhttp3.Request.Builder()
                    .url(url)
                    .header("Authorization", "Bearer " + support)
                    .build())) {
                assertThat(server.json(r).get("enabled").asBoolean()).isTrue();
            }
            put("everywhere", Map.of("enabled", false), 200);
            try (Response r = server.execute(new okhttp3.Request.Builder()
                    .url(url)
                    .header("Authorization", "Bearer " + support)
                    .build())) {
                assertThat(server.json(r).get("reason").asText()).isEqualTo("disabled");
            }
        }
    }

    @Test
    void allowListedUsersGetTheFlagWhateverThePercentage() {
        put("early-access", Map.of("enabled", true, "percentage", 0, "rules", Map.of("userIds", List.of("u-1"))), 200);
        assertThat(evaluate("early-access", "u-1").get("reason").asText()).isEqualTo("rule");
        assertThat(evaluate("early-access", "u-2").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void aStaleVersionIsRefused() {
        put("versioned", Map.of("enabled", true), 200);
        try (Response r = server.send(
                "PUT", "/api/v1/flags/versioned", admin, "{\"enabled\":false}", Map.of("If-Match", "\"7\""))) {
            assertThat(r.code()).isEqualTo(412);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "new-checkout, '{\"percentage\":101}', percentage",
        "new-checkout, '{\"percentage\":-1}', percentage",
        "Bad_Key!, '{\"enabled\":true}', key",
        "new-checkout, '{\"rules\":{\"userIds\":null}}', rules"
    })
    void badFlagsAreRefusedNamingTheField(String key, String body, String field) {
        try (Response r = server.send("PUT", "/api/v1/flags/" + key, admin, body, Map.of())) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo(field);
        }
    }

    @Test
    void anUnknownFlagIs404AndEvaluationNeedsAUser() {
        try (Response r = server.call("GET", "/api/v1/flags/nope/evaluate?userId=x", support, null)) {
            assertThat(r.code()).isEqualTo(404);
        }
        put("needs-user", Map.of("enabled", true), 200);
        try (Response r = server.call("GET", "/api/v1/flags/needs-user/evaluate", support, null)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("userId");
        }
    }

    @Test
    void previewCountsTheCurrentUsersThatWouldFlip() {
        server.db.inTransaction(tx -> {
            try (var s = tx.connection().createStatement()) {
                s.execute(
                        "INSERT INTO users (id, email, name, role, created_at, updated_at) SELECT gen_random_uuid(),"
                                + " 'p' || g || '@example.org', 'P ' || g, 'student', now(), now() FROM generate_series(1, 2000) g");
            }
            return null;
        });
        put("gradual", Map.of("enabled", true, "percentage", 10), 200);
        try (Response r = server.call("GET", "/api/v1/flags/gradual/preview?percentage=40", support, null)) {
            JsonNode p = server.json(r);
            long users = p.get("users").asLong();
            assertThat(users).isGreaterThanOrEqualTo(2_000);
            assertThat(p.get("turningOff").asLong()).isZero();
            assertThat(p.get("onAfter").asLong())
                    .isEqualTo(p.get("onNow").asLong() + p.get("turningOn").asLong());
            assertThat(p.get("onAfter").asLong()).isBetween(users * 34 / 100, users * 46 / 100);
        }
        try (Response r = server.call("GET", "/api/v1/flags/gradual/preview?percentage=abc", support, null)) {
            assertThat(r.code()).isEqualTo(400);
        }
    }
}
