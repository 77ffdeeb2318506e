package io.steward.server.events;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.sse.SseSink;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code GET /api/v1/events}: server-sent events. Each event has an id, a type ({@code metrics},
 * {@code health}, {@code alert}, {@code audit}) and JSON data. A comment line goes out when
 * nothing else did for {@link #HEARTBEAT}, so proxies keep the connection and clients notice a
 * dead one. The stream ends when the client goes or the server stops.
 */
public final class EventRoutes {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EventHub hub;

    public EventRoutes(EventHub hub) {
        this.hub = hub;
    }

    public void register(Router router) {
        router.handle("GET", "/api/v1/events", this::stream);
    }

    private void stream(Exchange ex) throws InterruptedException {
        long lastEventId = ex.header("Last-Event-ID").map(EventRoutes::parseId).orElse(0L);
        ex.responseHeader("X-Accel-Buffering", "no");
        try (EventHub.Client client = hub.connect(lastEventId);
                SseSink sink = ex.rawResponse().sink(SseSink.TYPE)) {
            // first bytes at once, so the client knows the stream is open
            sink.emit(SseEvent.builder().comment("connected").build());
            while (true) {
                EventHub.Event event = client.next(HEARTBEAT);
                if (event == null) {
                    sink.emit(SseEvent.builder().comment("heartbeat").build());
                } else if (EventHub.isEnd(event)) {
                    return;
                } else {
                    sink.emit(SseEvent.builder()
                            .id(Long.toString(event.id()))
                            .name(event.type())
                            .data(event.json())
                            .build());
                }
            }
        } catch (UncheckedIOException | ServerConnectionException e) {
            // the client went away: nothing to answer
        }
    }

    private static long parseId(String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return 0; // an id we never gave out: start afresh rather than refuse the stream
        }
    }
}
