package io.steward.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Role;
import io.steward.server.http.Json;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventStreamTest {
    static TestServer server;
    static String token;

    @BeforeAll
    static void start() {
        server = TestServer.start("events");
        token = server.tokenFor(Role.AUDITOR);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Received(String id, String type, String data, long atNanos) {}

    static final class Collector extends EventSourceListener {
        final List<Received> events = new CopyOnWriteArrayList<>();
        volatile @Nullable Throwable failure;

        @Override
        public void onEvent(EventSource source, @Nullable String id, @Nullable String type, String data) {
            events.add(new Received(id, type, data, System.nanoTime()));
        }

        @Override
        public void onFailure(EventSource source, @Nullable Throwable t, @Nullable Response response) {
            failure = t;
        }

        boolean has(String type) {
            return events.stream().anyMatch(e -> type.equals(e.type()));
        }
    }

    EventSource open(Collector collector, @Nullable String lastEventId) {
        return server.events(token, lastEventId, collector);
    }

    @Test
    void aMetricsEventArrivesWithinTwoSeconds() throws Exception {
        var collector = new Collector();
        long opened = System.nanoTime();
        EventSource source = open(collector, null);
        try {
            Conditions.await(Duration.ofSeconds(2), "a metrics event", () -> collector.has("metrics"));
            var first = collector.events.stream()
                    .filter(e -> e.type().equals("metrics"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Duration.ofNanos(first.atNanos() - opened)).isLessThan(Duration.ofSeconds(2));
            var values = Json.mapper().readTree(first.data()).get("values");
            assertThat(values.get("db.up").asDouble()).isEqualTo(1.0);
            assertThat(values.has("http.requests.rate")).isTrue();
        } finally {
            source.cancel();
        }
    }

    @Test
    void anAuditEntryIsAnnouncedByIdOnceCommitted() {
        var collector = new Collector();
        EventSource source = open(collector, null);
        try {
            Conditions.await(Duration.ofSeconds(3), "stream open", () -> collector.has("metrics"));
            server.login(TestServer.SUPPORT);
            Conditions.await(
                    Duration.ofSeconds(3),
                    "an audit event",
                    () -> collector.events.stream()
                            .anyMatch(e -> e.type().equals("audit") && e.data().contains("auth.login")));
        } finally {
            source.cancel();
        }
    }

    @Test
    void aClientThatNeverReadsDoesNotHoldUpTheOthers() throws Exception {
        var uri = URI.create(server.baseUrl);
        try (Socket stalled = new Socket(uri.getHost(), uri.getPort())) {
            stalled.setReceiveBufferSize(1024);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the stalled client never reads; a second one still gets every second's metrics
            var collector = new Collector();
            EventSource source = open(collector, null);
            try {
                Conditions.await(
                        Duration.ofSeconds(6),
                        "four metrics events",
                        () -> collector.events.stream()
                                        .filter(e -> e.type().equals("metrics"))
                                        .count()
                                >= 4);
            } finally {
                source.cancel();
            }
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsWhatItMissed() {
        var first = new Collector();
        EventSource source = open(first, null);
        Conditions.await(Duration.ofSeconds(3), "a first event", () -> first.has("metrics"));
        source.cancel();
        String lastSeen = first.events.getLast().id();
        // events go out while that client is away: a bystander sees two of them
        var bystander = new Collector();
        EventSource watching = open(bystander, null);
        Conditions.await(
                Duration.ofSeconds(5),
                "two events after the last one seen",
                () -> bystander.events.stream()
                                .filter(e -> Long.parseLong(e.id()) > Long.parseLong(lastSeen))
                                .count()
                        >= 2);
        watching.cancel();
        var second = new Collector();
        EventSource again = open(second, lastSeen);
        try {
            Conditions.await(Duration.ofSeconds(3), "the replay", () -> second.events.size() >= 2);
            assertThat(Long.parseLong(second.events.getFirst().id())).isEqualTo(Long.parseLong(lastSeen) + 1);
            var ids = second.events.stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        } finally {
            again.cancel();
        }
    }
}
