package io.steward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Role;
import io.steward.server.testsupport.AccessLogTimes;
import io.steward.server.testsupport.RawHttpClient;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An answer of several segments reaches a plain client when the server has written it, not a
 * delayed ACK later: without {@code TCP_NODELAY} the server's last segment waits for the
 * client's ACK of the first, which a client that does not force quick ACKs sends after 40 ms.
 */
class LargeAnswerLatencyTest {
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start("large_answer_latency");
        TestDatabase.seedDemo(server.db, server.clock, 300);
        token = server.tokenFor(Role.SUPPORT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSixtyKibAnswerOverAKeptAliveConnectionArrivesAsTheServerSentIt() throws Exception {
        var gaps = new ArrayList<Double>();
        try (var times = AccessLogTimes.listen();
                var client = new RawHttpClient(server.baseUrl)) {
            for (int i = 0; i < 25; i++) {
                String id = "large-answer-" + i;
                var answer = client.get(
                        "/api/v1/users?limit=222", Map.of("Authorization", "Bearer " + token, "X-Request-Id", id));
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body().length)
                        .as("an answer of several segments")
                        .isGreaterThan(50_000);
                double serverMillis = times.millis(id);
                if (i >= 5) { // the first ones warm up the JIT and the pool
                    gaps.add(answer.nanos() / 1e6 - serverMillis);
                }
            }
        }
        gaps.sort(null);
        double median = gaps.get(gaps.size() / 2);
        assertThat(median)
                .as("median client-observed minus server time, ms, of %s", gaps)
                .isLessThan(15.0);
    }
}
