package io.steward.server.health;

import static io.steward.server.testsupport.ReportJson.figures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Availability tried as an auditor would: Steward is stopped for a measured stretch and started
 * again; the SOC 2 report must count that stretch as unknown, not as up.
 */
class AvailabilityTest {

    static double observedSeconds(TestServer server) {
        return Double.parseDouble(TestDatabase.strings(
                        server.db,
                        "SELECT coalesce(sum(extract(epoch FROM seen_until - started_at)), 0) FROM health_coverage")
                .getFirst());
    }

    @Test
    void timeWhenStewardWasStoppedIsUnknownNotUp() {
        TestServer first = TestServer.startWith("availability", "--health-interval", "1");
        Instant started = Instant.now();
        Conditions.await(Duration.ofSeconds(60), "five seconds observed", () -> observedSeconds(first) >= 5);
        first.close();
        Instant stopped = Instant.now();
        double ran = Duration.between(started, stopped).toMillis() / 1000.0;
        // stopped for ten measured seconds
        Conditions.await(
                Duration.ofSeconds(60),
                "ten seconds stopped",
                () -> Duration.between(stopped, Instant.now()).toSeconds() >= 10);

        try (TestServer second = TestServer.join(first, "availability_again", "--health-interval", "1")) {
            var today = second.clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
            JsonNode report;
            try (Response r = second.call(
                    "GET",
                    "/api/v1/reports/soc2?from=" + today.minusDays(1) + "&to=" + today,
                    second.tokenFor(Role.AUDITOR),
                    null)) {
                assertThat(r.code()).isEqualTo(200);
                report = second.json(r);
            }
            Map<String, JsonNode> f = figures(report);
            Instant from = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long period = Duration.between(from, second.clock.instant()).toSeconds();
            long known = period - f.get("unknown").asLong();
            // what was observed is the first server's run, not the stop after it
            assertThat((double) known)
                    .as("seconds observed; the first server ran %.1f s", ran)
                    .isBetween(ran - 3, ran + 1);
            assertThat(f.get("uptime").asDouble()).isEqualTo(100.0);
        }
    }
}
