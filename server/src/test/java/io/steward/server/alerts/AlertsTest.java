package io.steward.server.alerts;

import static io.steward.server.testsupport.ReportJson.figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.RecordingHttpServer;
import io.steward.server.testsupport.ReportJson;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alert rules driven by a real metric the test controls: {@code events.clients}, the number of
 * open live event streams.
 */
class AlertsTest {
    RecordingHttpServer webhook;
    TestServer server;
    String admin;

    void start(String name) throws Exception {
        webhook = new RecordingHttpServer(200);
        server = TestServer.startWith(name, "--alert-webhook", webhook.url("/hook"), "--breaker-wait", "60");
        admin = server.tokenFor(Role.ADMIN);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    JsonNode createRule(String name, String metric, String op, double threshold, int forSeconds) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("metric", metric);
        body.put("op", op);
        body.put("threshold", threshold);
        body.put("forSeconds", forSeconds);
        body.put("severity", "critical");
        try (Response r = server.call("POST", "/api/v1/alert-rules", admin, body)) {
            JsonNode json = server.json(r);
            assertThat(r.code()).as(json.toString()).isEqualTo(201);
            return json;
        }
    }

    EventSource stream() {
        return server.events(admin, null, new EventSourceListener() {});
    }

    JsonNode alertOf(String rule) {
        try (Response r = server.call("GET", "/api/v1/alerts", admin, null)) {
            for (JsonNode a : server.json(r).get("items")) {
                if (a.get("ruleName").asText().equals(rule)) {
                    return a;
                }
            }
        }
        return server.mapper.createObjectNode();
    }

    String stateOf(String rule) {
        return alertOf(rule).path("state").asText("none");
    }

    @Test
    void theDefaultRulesExist() throws Exception {
        start("alerts_defaults");
        try (Response r = server.call("GET", "/api/v1/alert-rules", admin, null)) {
            assertThat(server.json(r).get("items").findValuesAsText("name"))
                    .contains(
                            "HighErrorRate",
                            "DatabaseUnreachable",
                            "HighMemoryUsage",
                            "LowRegistrations",
                            "SignInTargeted");
        }
    }

    @Test
    void aRuleGoesPendingThenFiringThenResolvedAndTheWebhookHearsOfIt() throws Exception {
        start("alerts_lifecycle");
        createRule("StreamOpen", "events.clients", ">=", 1, 2);
        EventSource source = stream();
        Conditions.await(
                Duration.ofSeconds(5), "pending", () -> stateOf("StreamOpen").equals("pending"));
        Conditions.await(
                Duration.ofSeconds(6), "firing", () -> stateOf("StreamOpen").equals("firing"));
        JsonNode firing = alertOf("StreamOpen");
        assertThat(firing.get("firedValue").asDouble()).isEqualTo(1.0);
        Instant started = Instant.parse(firing.get("startedAt").asText());
        Instant fired = Instant.parse(firing.get("firedAt").asText());
        assertThat(Duration.between(started, fired)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        Conditions.await(
                Duration.ofSeconds(5),
                "firing notified",
                () -> webhook.bodies.stream().anyMatch(b -> b.contains("\"firing\"") && b.contains("StreamOpen")));

        source.cancel();
        Conditions.await(
                Duration.ofSeconds(6), "resolved", () -> stateOf("StreamOpen").equals("resolved"));
        JsonNode resolved = alertOf("StreamOpen");
        Instant resolvedAt = Instant.parse(resolved.get("resolvedAt").asText());
        assertThat(resolvedAt).isAfter(fired);
        assertThat(resolved.get("durationSeconds").isNumber()).isTrue();
        assertThat(resolved.get("durationSeconds").asLong())
                .isEqualTo(Duration.between(fired, resolvedAt).toSeconds());
        Conditions.await(
                Duration.ofSeconds(5),
                "resolved notified",
                () -> webhook.bodies.stream().anyMatch(b -> b.contains("\"resolved\"") && b.contains("StreamOpen")));
    }

    @Test
    void aRetiredRuleKeepsItsAlertsInTheHistoryAndTheReports() throws Exception {
        start("alerts_retired");
        JsonNode rule = createRule("WatchedStream", "events.clients", ">=", 1, 0);
        EventSource source = stream();
        try {
            Conditions.await(
                    Duration.ofSeconds(30),
                    "firing",
                    () -> stateOf("WatchedStream").equals("firing"));
        } finally {
            source.cancel();
        }
        Conditions.await(
                Duration.ofSeconds(30),
                "resolved",
                () -> stateOf("WatchedStream").equals("resolved"));
        var today = server.clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        String soc2 = "/api/v1/reports/soc2?from=" + today.minusDays(1) + "&to=" + today;
        long firedBefore = figures(report(soc2)).get("alerts.fired").asLong();
        assertThat(firedBefore).isGreaterThanOrEqualTo(1);

        try (Response r =
                server.call("DELETE", "/api/v1/alert-rules/" + rule.get("id").asText(), admin, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        // gone from the rules, not from what happened
        try (Response r = server.call("GET", "/api/v1/alert-rules", admin, null)) {
            assertThat(server.json(r).get("items").findValuesAsText("name")).doesNotContain("WatchedStream");
        }
        assertThat(stateOf("WatchedStream")).isEqualTo("resolved");
        assertThat(figures(report(soc2)).get("alerts.fired").asLong()).isEqualTo(firedBefore);
        assertThat(ReportJson.table(report(soc2), "alerts.rules").toString()).contains("WatchedStream");
        // the name is free for a new rule, and the database itself keeps the old one
        createRule("WatchedStream", "events.clients", ">=", 5, 0);
        assertThatThrownBy(() -> TestDatabase.execute(
                        server.db,
                        "DELETE FROM alert_rules WHERE id = '" + rule.get("id").asText() + "'"))
                .hasMessageContaining("23503"); // foreign_key_violation
    }

    JsonNode report(String path) {
        try (Response r = server.call("GET", path, server.tokenFor(Role.AUDITOR), null)) {
            JsonNode json = server.json(r);
            assertThat(r.code()).as(json.toString()).isEqualTo(200);
            return json;
        }
    }

    JsonNode silence(String rule, Instant endsAt) {
        try (Response r = server.call(
                "POST",
                "/api/v1/silences",
                server.tokenFor(Role.SUPPORT),
                Map.of("matcher", rule, "reason", "maintenance window", "endsAt", endsAt.toString()))) {
            JsonNode json = server.json(r);
            assertThat(r.code()).as(json.toString()).isEqualTo(201);
            return json;
        }
    }

    @Test
    void aSilencedAlertIsShownMarkedButNotNotified() throws Exception {
        start("alerts_silence");
        createRule("Quiet", "events.clients", ">=", 1, 0);
        // the same condition, unsilenced: once the webhook has heard of it, it would have heard of both
        createRule("Loud", "events.clients", ">=", 1, 0);
        silence("Quiet", Instant.now().plusSeconds(600));
        EventSource source = stream();
        try {
            Conditions.await(
                    Duration.ofSeconds(5), "firing", () -> stateOf("Quiet").equals("firing"));
            assertThat(alertOf("Quiet").get("silenced").asBoolean()).isTrue();
            Conditions.await(
                    Duration.ofSeconds(5),
                    "the unsilenced alert notified",
                    () -> webhook.bodies.stream().anyMatch(b -> b.contains("\"Loud\"")));
            assertThat(webhook.bodies).noneMatch(b -> b.contains("\"Quiet\""));
        } finally {
            source.cancel();
        }
        try (Response r = server.call("GET", "/api/v1/audit?type=alert.silence_created", admin, null)) {
            assertThat(server.json(r).get("items")).hasSize(1);
        }
    }

    /** The actions of every alert, rule and silence that {@code role} reads, by the name of each. */
    Map<String, java.util.List<String>> actions(String path, String key, Role role) {
        var out = new java.util.TreeMap<String, java.util.List<String>>();
        try (Response r = server.call("GET", path, server.tokenFor(role), null)) {
            for (JsonNode item : server.json(r).get("items")) {
                var allowed = new java.util.ArrayList<String>();
                item.get("actions").forEach(action -> allowed.add(action.asText()));
                out.put(item.get(key).asText(), allowed);
            }
        }
        return out;
    }

    @Test
    void eachAlertRuleAndSilenceSaysWhatItsReaderMayDoWithItNow() throws Exception {
        start("alerts_actions");
        createRule("Watched", "events.clients", ">=", 1, 0);
        createRule("Hushed", "events.clients", ">=", 1, 0);
        silence("Hushed", Instant.now().plusSeconds(600));
        EventSource source = stream();
        try {
            Conditions.await(
                    Duration.ofSeconds(10),
                    "both firing",
                    () -> stateOf("Watched").equals("firing")
                            && stateOf("Hushed").equals("firing"));
            assertThat(actions("/api/v1/alerts", "ruleName", Role.SUPPORT))
                    .as("support may silence what is firing unsilenced")
                    .containsEntry("Watched", java.util.List.of("silence", "acknowledge"))
                    .containsEntry("Hushed", java.util.List.of("acknowledge"));
            assertThat(actions("/api/v1/alerts", "ruleName", Role.AUDITOR))
                    .as("an auditor reads, and may do nothing")
                    .containsEntry("Watched", java.util.List.of());
        } finally {
            source.cancel();
        }
        assertThat(actions("/api/v1/alert-rules", "name", Role.ADMIN))
                .containsEntry("Watched", java.util.List.of("edit", "delete"));
        assertThat(actions("/api/v1/alert-rules", "name", Role.SUPPORT)).containsEntry("Watched", java.util.List.of());
        assertThat(actions("/api/v1/silences", "matcher", Role.SUPPORT))
                .containsEntry("Hushed", java.util.List.of("end"));
        assertThat(actions("/api/v1/silences", "matcher", Role.AUDITOR)).containsEntry("Hushed", java.util.List.of());
        try (Response r = server.call("GET", "/api/v1/alerts?state=inactive", admin, null)) {
            assertThat(r.code()).as("a state no alert is kept in is no filter").isEqualTo(400);
        }
    }

    Response acknowledge(String alertId, String token, Object body) {
        return server.call("POST", "/api/v1/alerts/" + alertId + "/acknowledge", token, body);
    }

    @Test
    void oneOfTwoPeopleAcknowledgingAtOnceIsOnTheAlertAndTheOtherIsToldWho() throws Exception {
        start("alerts_acknowledge");
        createRule("OnCall", "events.clients", ">=", 1, 0);
        EventSource source = stream();
        try {
            Conditions.await(
                    Duration.ofSeconds(10), "firing", () -> stateOf("OnCall").equals("firing"));
            String id = alertOf("OnCall").get("id").asText();
            try (Response r = acknowledge(id, server.tokenFor(Role.AUDITOR), Map.of())) {
                assertThat(r.code()).isEqualTo(403);
            }
            try (Response r = acknowledge(id, server.tokenFor(Role.SUPPORT), Map.of("note", "x".repeat(501)))) {
                assertThat(server.json(r).at("/error/field").asText()).isEqualTo("note");
            }
            // two people press Acknowledge at the same moment
            String support = server.tokenFor(Role.SUPPORT);
            var start = new java.util.concurrent.CountDownLatch(1);
            var answers = new java.util.concurrent.ConcurrentLinkedQueue<Integer>();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            for (String token : java.util.List.of(admin, support)) {
                pool.submit(() -> {
                    start.await();
                    try (Response r = acknowledge(id, token, Map.of("note", "looking at the event hub"))) {
                        answers.add(r.code());
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(answers).containsExactlyInAnyOrder(200, 409);

            JsonNode alert = alertOf("OnCall");
            assertThat(alert.at("/acknowledged/note").asText()).isEqualTo("looking at the event hub");
            assertThat(alert.at("/acknowledged/byName").asText()).isNotBlank();
            assertThat(actions("/api/v1/alerts", "ruleName", Role.SUPPORT).get("OnCall"))
                    .as("nobody acknowledges it twice")
                    .containsExactly("silence");
            try (Response again = acknowledge(id, support, Map.of())) {
                assertThat(again.code()).isEqualTo(409);
                assertThat(server.json(again).at("/error/message").asText())
                        .isEqualTo(alert.at("/acknowledged/byName").asText() + " acknowledged it already");
            }
        } finally {
            source.cancel();
        }
        try (Response r = server.call("GET", "/api/v1/audit?type=alert.acknowledged", admin, null)) {
            JsonNode items = server.json(r).get("items");
            assertThat(items).hasSize(1);
            assertThat(items.at("/0/details/rule").asText()).isEqualTo("OnCall");
        }
        try (Response r = acknowledge(java.util.UUID.randomUUID().toString(), admin, Map.of())) {
            assertThat(r.code()).isEqualTo(404);
        }
        String rule =
                createRule("Other", "events.clients", ">=", 1000, 0).get("id").asText();
        try (Response r = server.call("GET", "/api/v1/alerts?state=active&ruleId=" + rule, admin, null)) {
            assertThat(server.json(r).get("items")).as("one rule's alerts only").isEmpty();
        }
    }

    @Test
    void aSilenceEndsByItselfAndTheAlertsItCoveredAreNotifiedAgain() throws Exception {
        start("alerts_silence_expiry");
        createRule("Brief", "events.clients", ">=", 1, 0);
        Instant endsAt = Instant.now().plusSeconds(3);
        silence("Brief", endsAt);
        EventSource first = stream();
        Conditions.await(
                Duration.ofSeconds(5),
                "silenced firing",
                () -> alertOf("Brief").path("silenced").asBoolean());
        Conditions.await(Duration.ofSeconds(8), "the silence expires", () -> {
            try (Response r = server.call("GET", "/api/v1/silences?state=all", admin, null)) {
                return server.json(r).at("/items/0/state").asText().equals("expired");
            }
        });
        try (Response r = server.call("GET", "/api/v1/silences", admin, null)) {
            assertThat(server.json(r).get("items")).as("no silence in force").isEmpty();
        }
        assertThat(alertOf("Brief").get("silenced").asBoolean()).isFalse();
        first.cancel();
        Conditions.await(
                Duration.ofSeconds(5), "resolved", () -> stateOf("Brief").equals("resolved"));
        EventSource again = stream();
        try {
            Conditions.await(
                    Duration.ofSeconds(5),
                    "a new firing is notified",
                    () -> webhook.bodies.stream().anyMatch(b -> b.contains("\"firing\"") && b.contains("\"Brief\"")));
        } finally {
            again.cancel();
        }
    }

    @Test
    void theWebhookIsRetriedAndThenLeftAloneWhileItsBreakerIsOpen() throws Exception {
        start("alerts_webhook_down");
        webhook.answer(500);
        createRule("Flappy", "events.clients", ">=", 1, 0);
        // six notifications: three firings and three resolutions
        for (int i = 0; i < 3; i++) {
            EventSource source = stream();
            int round = i;
            Conditions.await(
                    Duration.ofSeconds(5),
                    "firing " + round,
                    () -> stateOf("Flappy").equals("firing"));
            source.cancel();
            Conditions.await(
                    Duration.ofSeconds(5),
                    "resolved " + round,
                    () -> stateOf("Flappy").equals("resolved"));
        }
        Conditions.await(Duration.ofSeconds(10), "the breaker opens", () -> {
            try (Response r = server.call("GET", "/api/v1/health", admin, null)) {
                return server.json(r)
                        .at("/circuitBreakers/alert-webhook/state")
                        .asText()
                        .equals("OPEN");
            }
        });
        int calls = webhook.requestCount();
        // retried: the first notification alone was tried three times
        assertThat(calls).isGreaterThanOrEqualTo(3);
        // six notifications at three attempts each would be 18 calls; the open breaker stopped that
        assertThat(calls).isLessThan(18);
        long refused = notPermitted();
        EventSource source = stream();
        Conditions.await(
                Duration.ofSeconds(5), "firing again", () -> stateOf("Flappy").equals("firing"));
        Conditions.await(
                Duration.ofSeconds(5), "the notification refused by the open breaker", () -> notPermitted() > refused);
        source.cancel();
        assertThat(webhook.requestCount()).isEqualTo(calls);
    }

    long notPermitted() {
        try (Response r = server.call("GET", "/api/v1/health", admin, null)) {
            return server.json(r)
                    .at("/circuitBreakers/alert-webhook/notPermittedCalls")
                    .asLong();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'{\"name\":\"X\",\"metric\":\"no.such.metric\",\"op\":\">\",\"threshold\":1}', metric",
        "'{\"name\":\"X\",\"metric\":\"db.up\",\"op\":\"~\",\"threshold\":1}', op",
        "'{\"name\":\"X\",\"metric\":\"db.up\",\"op\":\">\"}', threshold",
        "'{\"metric\":\"db.up\",\"op\":\">\",\"threshold\":1}', name",
        "'{\"name\":\"X\",\"metric\":\"db.up\",\"op\":\">\",\"threshold\":1,\"forSeconds\":-5}', forSeconds",
        "'{\"name\":\"X\",\"metric\":\"db.up\",\"op\":\">\",\"threshold\":1,\"severity\":\"panic\"}', severity"
    })
    void badRulesAreRefusedNamingTheField(String body, String field) throws Exception {
        start("alerts_bad_rules");
        try (Response r = server.send("POST", "/api/v1/alert-rules", admin, body, Map.of())) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo(field);
        }
    }

    @Test
    void rulesAreReplacedWithVersionsDeletedAndAudited() throws Exception {
        start("alerts_crud");
        JsonNode rule = createRule("Edited", "db.latency", ">", 500, 60);
        String id = rule.get("id").asText();
        try (Response r = server.call(
                "POST",
                "/api/v1/alert-rules",
                admin,
                Map.of("name", "Edited", "metric", "db.latency", "op", ">", "threshold", 1))) {
            assertThat(r.code()).isEqualTo(409);
        }
        var replacement =
                Map.of("name", "Edited", "metric", "db.latency", "op", ">", "threshold", 800, "forSeconds", 30);
        try (Response r = server.send(
                "PUT",
                "/api/v1/alert-rules/" + id,
                admin,
                server.mapper.writeValueAsString(replacement),
                Map.of("If-Match", "\"9\""))) {
            assertThat(r.code()).isEqualTo(412);
        }
        try (Response r = server.call("PUT", "/api/v1/alert-rules/" + id, admin, replacement)) {
            JsonNode updated = server.json(r);
            assertThat(updated.get("threshold").asDouble()).isEqualTo(800);
            assertThat(updated.get("version").asLong()).isEqualTo(2);
        }
        try (Response r = server.call("DELETE", "/api/v1/alert-rules/" + id, admin, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        try (Response r = server.call("GET", "/api/v1/audit?type=alert.rule_updated", admin, null)) {
            JsonNode entry = server.json(r).get("items").get(0);
            assertThat(entry.at("/details/before/threshold").asDouble()).isEqualTo(500);
            assertThat(entry.at("/details/after/threshold").asDouble()).isEqualTo(800);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'{\"matcher\":\"HighErrorRate\",\"endsAt\":\"SOON\"}', reason",
        "'{\"matcher\":\"HighErrorRate\",\"reason\":\"x\"}', endsAt",
        "'{\"matcher\":\"HighErrorRate\",\"reason\":\"x\",\"endsAt\":\"2001-01-01T00:00:00Z\"}', endsAt",
        "'{\"matcher\":\"HighErrorRate\",\"reason\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\"}', endsAt",
        "'{\"matcher\":\"NoSuchRule\",\"reason\":\"x\",\"endsAt\":\"SOON\"}', matcher"
    })
    void aSilenceNeedsAReasonAnEndWithinAMonthAndARule(String template, String field) throws Exception {
        String body = template.replace("SOON", Instant.now().plusSeconds(3_600).toString());
        start("alerts_bad_silences");
        try (Response r = server.send("POST", "/api/v1/silences", admin, body, Map.of())) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo(field);
        }
    }
}
