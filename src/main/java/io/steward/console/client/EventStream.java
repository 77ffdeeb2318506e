package io.steward.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's live events ({@code GET /api/v1/events}) for as long as it is open: when the
 * connection drops it reconnects by itself, waiting 0.5 s, 1 s, 2 s … up to 10 s (with jitter),
 * and sends {@code Last-Event-ID} so the server replays what was missed. Listener calls come on
 * the stream's own thread.
 */
public final class EventStream implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final long FIRST_WAIT_MS = 500;
    private static final long LONGEST_WAIT_MS = 10_000;

    /** What the stream tells its owner. */
    public interface Listener {
        /** One event: its name ({@code metrics}, {@code health}, {@code alert}, {@code audit}) and JSON data. */
        void onEvent(String type, JsonNode data);

        /** The stream is open ({@code problem} empty) or not, and why not. */
        void onConnection(boolean connected, String problem);

        /** The server refused the token: reconnecting would not help. */
        void onSessionExpired();
    }

    private final OkHttpClient http;
    private final HttpUrl url;
    private final Supplier<@Nullable String> token;
    private final ObjectMapper mapper;
    private final Listener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-stream-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile @Nullable String lastEventId;
    private volatile @Nullable EventSource source;
    private volatile boolean closed;
    private int failures;

    EventStream(
            OkHttpClient http, HttpUrl url, Supplier<@Nullable String> token, ObjectMapper mapper, Listener listener) {
        this.http = http;
        this.url = url;
        this.token = token;
        this.mapper = mapper;
        this.listener = listener;
    }

    void start() {
        open();
    }

    /** The id of the last event received; sent as {@code Last-Event-ID} on reconnect. */
    public @Nullable String lastEventId() {
        return lastEventId;
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        String current = token.get();
        if (current == null) {
            listener.onSessionExpired();
            return;
        }
        var request = new Request.Builder()
                .url(url)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + current);
        String last = lastEventId;
        if (last != null) {
            request.header("Last-Event-ID", last);
        }
        source = EventSources.createFactory(http).newEventSource(request.build(), new Handler());
    }

    private final class Handler extends EventSourceListener {
        @Override
        public void onOpen(EventSource eventSource, Response response) {
            synchronized (EventStream.this) {
                failures = 0;
            }
            listener.onConnection(true, "");
        }

        @Override
        public void onEvent(EventSource eventSource, @Nullable String id, @Nullable String type, String data) {
            if (id != null) {
                lastEventId = id;
            }
            try {
                listener.onEvent(type == null ? "message" : type, mapper.readTree(data));
            } catch (IOException e) {
                LOG.warn("ignoring an event that is not JSON ({})", type);
            }
        }

        @Override
        public void onClosed(EventSource eventSource) {
            retry("The server closed the live stream.");
        }

        @Override
        public void onFailure(EventSource eventSource, @Nullable Throwable failure, @Nullable Response response) {
            if (response != null && response.code() == 401) {
                listener.onSessionExpired();
                return;
            }
            if (closed) {
                return;
            }
            String problem = response != null
                    ? "The server answered " + response.code() + " to the live stream."
                    : failure == null ? "The live stream stopped." : describe(failure);
            retry(problem);
        }
    }

    private static String describe(Throwable failure) {
        return switch (failure) {
            case java.net.ConnectException c -> "The server does not answer.";
            case java.io.InterruptedIOException t -> "The server went silent.";
            default -> "The connection to the server was lost.";
        };
    }

    private void retry(String problem) {
        if (closed) {
            return;
        }
        long wait;
        synchronized (this) {
            wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS << Math.min(failures, 10));
            failures++;
        }
        wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        listener.onConnection(false, problem);
        LOG.debug("live stream lost ({}); reconnecting in {} ms", problem, wait);
        synchronized (this) {
            // the listener may have closed the stream while it was being told
            if (!closed) {
                timer.schedule(this::open, wait, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            timer.shutdownNow();
        }
        EventSource current = source;
        if (current != null) {
            current.cancel();
        }
    }
}
