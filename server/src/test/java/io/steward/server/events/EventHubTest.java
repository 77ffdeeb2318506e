package io.steward.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.http.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventHubTest {

    @Test
    void aFullClientBufferDropsAndCountsOnlyThatClientsEvents() throws Exception {
        try (var hub = new EventHub(Json.mapper())) {
            var slow = hub.connect(0);
            var fast = hub.connect(0);
            int sent = EventHub.CLIENT_BUFFER + 50;
            int received = 0;
            for (int i = 0; i < sent; i++) {
                hub.publish("metrics", Map.of("i", i));
                if (fast.next(Duration.ZERO) != null) {
                    received++;
                }
            }
            assertThat(received).isEqualTo(sent);
            assertThat(slow.dropped()).isEqualTo(50);
            assertThat(hub.droppedCount()).isEqualTo(50);
        }
    }

    @Test
    void closingEndsEveryStream() throws Exception {
        var hub = new EventHub(Json.mapper());
        var client = hub.connect(0);
        hub.publish("audit", Map.of("id", "x"));
        hub.close();
        assertThat(EventHub.isEnd(client.next(Duration.ofSeconds(1)))).isTrue();
    }
}
