package io.steward.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.RecordingHttpServer;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    RecordingHttpServer dependency;
    TestServer server;
    String token;

    @BeforeEach
    void start() throws Exception {
        dependency = new RecordingHttpServer(200);
        server = TestServer.startWith(
                "health",
                "--dependencies",
                "payments=" + dependency.url("/health"),
                "--health-interval",
                "1",
                "--breaker-wait",
                "4");
        token = server.tokenFor(Role.SUPPORT);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        dependency.close();
    }

    JsonNode health() {
        try (Response r = server.call("GET", "/api/v1/health", token, null)) {
            assertThat(r.code()).isEqualTo(200);
            return server.json(r);
        }
    }

    @Test
    void theReportHasEveryCheckWithItsLatency() {
        Conditions.await(
                Duration.ofSeconds(5),
                "the dependency is up",
                () -> health().get("status").asText().equals("UP"));
        JsonNode report = health();
        assertThat(report.get("checks").has("database")).isTrue();
        assertThat(report.at("/checks/database/status").asText()).isEqualTo("UP");
        assertThat(report.at("/checks/database/latencyMs").isNumber()).isTrue();
        assertThat(report.at("/checks/disk-space/details/freeBytes").asLong()).isPositive();
        assertThat(report.at("/checks/memory/details/heapMaxBytes").asLong()).isPositive();
        assertThat(report.at("/circuitBreakers/dependency:payments/state").asText())
                .isEqualTo("CLOSED");
    }

    @Test
    void aFailingDependencyOpensItsBreakerDegradesButNeverDownsAndRecovers() {
        Conditions.await(
                Duration.ofSeconds(5),
                "up first",
                () -> health().get("status").asText().equals("UP"));
        dependency.answer(503);
        Conditions.await(
                Duration.ofSeconds(15),
                "the breaker opens",
                () -> health().at("/circuitBreakers/dependency:payments/state")
                        .asText()
                        .equals("OPEN"));
        JsonNode report = health();
        assertThat(report.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(report.at("/checks/dependency:payments/status").asText()).isEqualTo("DOWN");
        assertThat(report.at("/circuitBreakers/dependency:payments/failureRate").asDouble())
                .isGreaterThanOrEqualTo(50);
        try (Response ready = server.call("GET", "/health/ready", null, null)) {
            assertThat(ready.code()).as("a dependency never fails readiness").isEqualTo(200);
        }
        // while open, rounds of checks go on without calling the dependency
        int calls = dependency.requestCount();
        String openSince = report.get("timestamp").asText();
        var rounds = new java.util.HashSet<String>();
        Conditions.await(Duration.ofSeconds(5), "two more rounds of checks", () -> {
            String at = health().get("timestamp").asText();
            if (!at.equals(openSince)) {
                rounds.add(at);
            }
            return rounds.size() >= 2;
        });
        assertThat(health().at("/circuitBreakers/dependency:payments/state").asText())
                .isEqualTo("OPEN");
        assertThat(dependency.requestCount()).isEqualTo(calls);
        assertThat(health().at("/circuitBreakers/dependency:payments/notPermittedCalls")
                        .asLong())
                .isPositive();

        dependency.answer(200);
        Conditions.await(
                Duration.ofSeconds(15),
                "half-open trial calls close the breaker",
                () -> health().at("/circuitBreakers/dependency:payments/state")
                        .asText()
                        .equals("CLOSED"));
        Conditions.await(
                Duration.ofSeconds(5),
                "up again",
                () -> health().get("status").asText().equals("UP"));

        try (Response r = server.call("GET", "/api/v1/health/history?check=dependency:payments", token, null)) {
            var statuses = server.json(r).get("items").findValuesAsText("status");
            assertThat(statuses).startsWith("UP", "DOWN", "UP");
        }
        try (Response r = server.call("GET", "/api/v1/health/history?check=overall", token, null)) {
            var statuses = server.json(r).get("items").findValuesAsText("status");
            assertThat(statuses).contains("DEGRADED").doesNotContain("DOWN");
        }
    }

    @Test
    void manyConsolesPollingCostOneRoundOfChecks() throws Exception {
        Conditions.await(
                Duration.ofSeconds(5),
                "up first",
                () -> health().get("status").asText().equals("UP"));
        int before = dependency.requestCount();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<JsonNode>>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(this::health));
            }
            for (var answer : answers) {
                assertThat(answer.get().get("status").asText()).isEqualTo("UP");
            }
        }
        // 40 reports; the dependency was called by at most a couple of rounds (cache, background)
        assertThat(dependency.requestCount() - before).isLessThanOrEqualTo(3);
    }

    @Test
    void aDependencyThatDoesNotAnswerInTimeIsDownAfterItsTimeout() {
        Conditions.await(
                Duration.ofSeconds(5),
                "up first",
                () -> health().get("status").asText().equals("UP"));
        dependency.delay(Duration.ofSeconds(5));
        long started = System.nanoTime();
        var down = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
        Conditions.await(Duration.ofSeconds(20), "the slow dependency reported down", () -> {
            JsonNode check = health().at("/checks/dependency:payments");
            down.set(check);
            return check.get("status").asText().equals("DOWN");
        });
        // the first round that saw it down timed out; later ones find the breaker open
        assertThat(down.get().at("/details/error").asText()).contains("no answer within 2000 ms");
        assertThat(health().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("three attempts of two seconds, not the dependency's five-second silence three times")
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aDependencyThatHangsOpensItsBreakerAndHealthAndTheApiStayFast() {
        Conditions.await(
                Duration.ofSeconds(5),
                "up first",
                () -> health().get("status").asText().equals("UP"));
        dependency.delay(Duration.ofSeconds(60)); // hangs: answers nothing for a minute
        Conditions.await(
                Duration.ofSeconds(30),
                "the breaker opens on the timeouts",
                () -> health().at("/circuitBreakers/dependency:payments/state")
                        .asText()
                        .equals("OPEN"));
        // with the breaker open nothing waits on the dependency: ten rounds of each, all fast
        for (int i = 0; i < 10; i++) {
            for (String path : java.util.List.of("/api/v1/health", "/health/ready", "/api/v1/users?limit=5")) {
                long started = System.nanoTime();
                try (Response r = server.call("GET", path, path.startsWith("/health") ? null : token, null)) {
                    assertThat(r.code()).as(path).isEqualTo(200);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("%s while the dependency hangs", path)
                        .isLessThan(Duration.ofMillis(500));
            }
        }
        assertThat(health().get("status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void historyRefusesABadPeriodNamingTheField() {
        try (Response r = server.call("GET", "/api/v1/health/history?from=yesterday", token, null)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("from");
        }
    }
}
