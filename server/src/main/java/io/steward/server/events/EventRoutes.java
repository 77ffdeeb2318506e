package io.steward.server.events;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.sse.SseSink;
import io.steward.server.access.Principal;
import io.steward.server.api.Endpoint;
import io.steward.server.error.ServiceException;
import io.steward.server.http.Authenticator;
import io.steward.server.http.Exchange;
import io.steward.server.http.Json;
import io.steward.server.http.PerKeyLimit;
import io.steward.server.http.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/events}: server-sent events. Each event has an id, a type ({@code metrics},
 * {@code health}, {@code alert}, {@code audit}) and JSON data. A comment line goes out when
 * nothing else did for {@link #HEARTBEAT}, so proxies keep the connection and clients notice a
 * dead one. The sign-in behind the stream is looked at again every {@link #RECHECK}: once it no
 * longer holds (signed out, deactivated, role changed, expired) a last {@code session-ended}
 * event says why and the stream ends. A staff member may hold {@link #PER_TOKEN} streams at once
 * (however many times they sign in), the instance its configured total; more are refused with 429. The stream also ends when the client
 * goes, stops reading for the write timeout, or the server stops.
 */
public final class EventRoutes {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration RECHECK = Duration.ofSeconds(5);
    /** Streams one staff member may hold at once, over all their sign-ins (a console opens one). */
    public static final int PER_TOKEN = 4;

    private final EventHub hub;
    private final Authenticator auth;
    private final PerKeyLimit<UUID> perToken = new PerKeyLimit<>(PER_TOKEN);
    private final PerKeyLimit<String> total;

    public EventRoutes(EventHub hub, Authenticator auth, int maxStreams) {
        this.hub = hub;
        this.auth = auth;
        this.total = new PerKeyLimit<>(maxStreams);
    }

    public void register(Router router) {
        router.handle(Endpoint.EVENTS, this::stream);
    }

    private void stream(Exchange ex) throws InterruptedException, IOException {
        Principal principal = ex.principal();
        try (var mine = perToken.tryEnter(principal.userId());
                var all = mine == null ? null : total.tryEnter("all")) {
            if (mine == null) {
                throw new ServiceException.RateLimited(
                        "you have " + PER_TOKEN + " live streams open already", Duration.ofSeconds(5));
            }
            if (all == null) {
                throw new ServiceException.RateLimited(
                        "this server has as many live streams open as it allows", Duration.ofSeconds(5));
            }
            stream(ex, principal);
        }
    }

    private void stream(Exchange ex, Principal principal) throws InterruptedException, IOException {
        long lastEventId = ex.header("Last-Event-ID").map(EventRoutes::parseId).orElse(0L);
        ex.responseHeader("X-Accel-Buffering", "no");
        try (EventHub.Client client = hub.connect(lastEventId);
                var watch = ex.watchWrites();
                SseSink sink = ex.rawResponse().sink(SseSink.TYPE)) {
            // first bytes at once, so the client knows the stream is open
            watch.write(() -> sink.emit(SseEvent.builder().comment("connected").build()));
            long lastSent = System.nanoTime();
            long nextCheck = lastSent + RECHECK.toNanos();
            // the sign-in is looked at on a thread of its own: a database that does not answer
            // must not hold up the stream's events
            java.util.concurrent.CompletableFuture<Optional<String>> check = null;
            while (true) {
                EventHub.Event event = client.next(RECHECK);
                long now = System.nanoTime();
                if (event != null && EventHub.isEnd(event)) {
                    return;
                }
                if (event != null) {
                    watch.write(() -> sink.emit(SseEvent.builder()
                            .id(Long.toString(event.id()))
                            .name(event.type())
                            .data(event.json())
                            .build()));
                    lastSent = now;
                }
                if (check == null && now - nextCheck >= 0) {
                    check = java.util.concurrent.CompletableFuture.supplyAsync(() -> ended(principal), CHECKS);
                }
                if (check != null && check.isDone()) {
                    Optional<String> ended = check.getNow(Optional.empty());
                    check = null;
                    nextCheck = now + RECHECK.toNanos();
                    if (ended.isPresent()) {
                        String data = "{\"reason\":" + Json.mapper().writeValueAsString(ended.get()) + "}";
                        watch.write(() -> sink.emit(SseEvent.builder()
                                .name(SESSION_ENDED)
                                .data(data)
                                .build()));
                        return;
                    }
                }
                if (event == null && now - lastSent >= HEARTBEAT.toNanos()) {
                    watch.write(() ->
                            sink.emit(SseEvent.builder().comment("heartbeat").build()));
                    lastSent = now;
                }
            }
        } catch (UncheckedIOException | ServerConnectionException | IOException e) {
            // the client went away, or stopped reading: nothing to answer
        }
    }

    /** Where sign-ins behind streams are looked at: a virtual thread each time. */
    private static final java.util.concurrent.Executor CHECKS =
            task -> Thread.ofVirtual().name("steward-stream-check").start(task);

    /** The last event of a stream whose sign-in no longer holds; its data says why. */
    public static final String SESSION_ENDED = "session-ended";

    private Optional<String> ended(Principal principal) {
        try {
            return auth.ended(principal);
        } catch (RuntimeException e) {
            // the database is away: the stream goes on, and is looked at again next time
            return Optional.empty();
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
