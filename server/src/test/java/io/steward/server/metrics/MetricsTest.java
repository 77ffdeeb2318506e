package io.steward.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static final String SCRAPE_TOKEN = "scrape-" + UUID.randomUUID();
    static TestServer server;
    static String support;

    @BeforeAll
    static void start() {
        server = TestServer.startWith("metrics", "--metrics-token", SCRAPE_TOKEN);
        support = server.tokenFor(Role.SUPPORT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String scrape(String token) throws IOException {
        try (Response r = server.call("GET", "/metrics", token, null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            return r.body().string();
        }
    }

    /** The value of the one sample line that has all {@code labels}. */
    static double sample(String exposition, String metric, String... labels) {
        return exposition
                .lines()
                .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    @Test
    void requestsAreCountedByRouteTemplateNotRawPath() throws IOException {
        String before = scrape(support);
        double was =
                sample(before, "http_server_requests_seconds_count", "route=\"/api/v1/users/{id}\"", "status=\"404\"");
        for (int i = 0; i < 3; i++) {
            try (Response r = server.call("GET", "/api/v1/users/" + UUID.randomUUID(), support, null)) {
                assertThat(r.code()).isEqualTo(404);
            }
        }
        String after = scrape(support);
        assertThat(sample(
                        after, "http_server_requests_seconds_count", "route=\"/api/v1/users/{id}\"", "status=\"404\""))
                .isEqualTo(was + 3);
        assertThat(after).doesNotContainPattern("route=\"/api/v1/users/[0-9a-f]{8}-");
        assertThat(after)
                .contains("quantile=\"0.5\"")
                .contains("quantile=\"0.95\"")
                .contains("quantile=\"0.99\"");
    }

    @Test
    void databaseStatementsAreTimedByOperationAndTable() throws IOException {
        server.login(TestServer.AUDITOR);
        String text = scrape(support);
        assertThat(sample(text, "db_queries_seconds_count", "operation=\"select\"", "table=\"users\""))
                .isPositive();
        assertThat(sample(text, "db_queries_seconds_count", "operation=\"insert\"", "table=\"audit_log\""))
                .isPositive();
        assertThat(text).contains("hikaricp_connections_active").contains("hikaricp_connections_timeout_total");
        assertThat(text).contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_cpu_usage");
        assertThat(text).contains("process_uptime_seconds").contains("jvm_threads_live_threads");
        assertThat(text)
                .contains("jvm_threads_virtual_live_threads{scheduling_status=\"mounted\"}")
                .contains("jvm_threads_virtual_pinned_seconds");
        assertThat(text)
                .contains("steward_gdpr_requests_overdue")
                .contains("steward_platform_registrations_last_hour")
                .contains("steward_gdpr_erasures_total");
    }

    @Test
    void failedSignInsAreCountedOnceCommitted() throws IOException {
        double was = sample(scrape(support), "steward_logins_total", "result=\"failed\"");
        try (Response r = server.call(
                "POST", "/api/v1/auth/login", null, Map.of("email", TestServer.SUPPORT, "password", "wrong"))) {
            assertThat(r.code()).isEqualTo(401);
        }
        assertThat(sample(scrape(support), "steward_logins_total", "result=\"failed\""))
                .isEqualTo(was + 1);
    }

    @Test
    void aScrapeTokenReadsMetricsAndNothingElse() throws IOException {
        assertThat(scrape(SCRAPE_TOKEN)).contains("http_server_requests_seconds");
        try (Response r = server.call("GET", "/api/v1/metrics", SCRAPE_TOKEN, null)) {
            assertThat(r.code()).isEqualTo(401);
        }
        try (Response r = server.call("GET", "/metrics", "not-the-token", null)) {
            assertThat(r.code()).isEqualTo(401);
        }
    }

    @Test
    void theSeriesEndpointReturnsTheLastMinutesPoints() throws IOException {
        try (Response r = server.call("GET", "/api/v1/metrics", support, null)) {
            JsonNode list = server.json(r);
            assertThat(list.get("series").findValuesAsText("name"))
                    .contains("http.requests.rate", "http.errors.ratio", "db.up", "jvm.heap.used", "alerts.firing");
        }
        Conditions.await(
                Duration.ofSeconds(10),
                "three seconds of samples",
                () -> points("5m").size() >= 3);
        JsonNode points = points("5m");
        Instant newest = Instant.parse(points.get(points.size() - 1).get("at").asText());
        Instant oldest = Instant.parse(points.get(0).get("at").asText());
        assertThat(newest).isAfter(Instant.now().minusSeconds(60));
        assertThat(oldest).isAfter(Instant.now().minusSeconds(300));
        assertThat(points.get(0).get("value").isNumber()).isTrue();
        try (Response r = server.call("GET", "/api/v1/metrics/series?name=db.up&window=24h", support, null)) {
            JsonNode body = server.json(r);
            assertThat(body.get("stepSeconds").asInt()).isEqualTo(60);
            assertThat(body.get("points").get(0).get("value").asDouble()).isEqualTo(1.0);
        }
    }

    JsonNode points(String window) {
        try (Response r =
                server.call("GET", "/api/v1/metrics/series?name=http.requests.rate&window=" + window, support, null)) {
            assertThat(r.code()).isEqualTo(200);
            return server.json(r).get("points");
        }
    }

    @Test
    void anUnknownSeriesOrWindowIsRefusedNamingTheField() {
        try (Response r = server.call("GET", "/api/v1/metrics/series?name=no.such&window=5m", support, null)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("name");
        }
        try (Response r = server.call("GET", "/api/v1/metrics/series?name=db.up&window=7d", support, null)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("window");
        }
    }
}
