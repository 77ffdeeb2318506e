package io.steward.console.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.console.client.EventStream;
import io.steward.console.client.LiveSource;
import io.steward.console.client.StewardApi;
import io.steward.console.client.Subscription;
import io.steward.console.session.LiveFeed;
import io.steward.console.session.Navigator;
import io.steward.console.session.Session;
import io.steward.console.session.TaskExecutor;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Role;
import io.steward.server.api.UserView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A signed-in session for view-model unit tests: a {@link FakeTransport} behind the API, a live
 * feed the test emits events into, and an executor that runs work and its result on the test's
 * thread, so that every call has been answered when an action returns.
 */
public final class FakeSession implements LiveSource {
    /** Runs work and its result on the calling thread. */
    public static final TaskExecutor SAME_THREAD = new TaskExecutor() {
        @Override
        public <T> void run(Supplier<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                onFailure.accept(e);
                return;
            }
            onSuccess.accept(result);
        }

        @Override
        public void ui(Runnable action) {
            action.run();
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public final FakeTransport server = new FakeTransport();
    public final Session session;
    private final List<EventStream.Listener> listeners = new CopyOnWriteArrayList<>();

    public FakeSession(Role role) {
        var user = new UserView(
                UUID.fromString("00000000-0000-4000-8000-0000000000aa"),
                role.wireName() + "@steward.test",
                "Sam " + role.wireName(),
                role,
                true,
                true,
                Instant.parse("2026-01-05T09:00:00Z"),
                Instant.parse("2026-01-05T09:00:00Z"),
                null,
                1);
        var feed = new LiveFeed(this, SAME_THREAD, why -> {});
        this.session = new Session(new StewardApi(server), user, "test server", feed, SAME_THREAD, new Navigator());
        feed.start();
    }

    /** The server's live stream sends an event ({@code audit}, {@code alert}, {@code metrics}, {@code health}). */
    public void emit(String type, Object data) {
        JsonNode node = JSON.valueToTree(data);
        listeners.forEach(l -> l.onEvent(type, node));
    }

    /** The live stream is lost ({@code false}, {@code why} in words) or open again ({@code true}, ""). */
    public void connection(boolean connected, String why) {
        listeners.forEach(l -> l.onConnection(connected, why));
    }

    /** The server's live stream sends the second {@code at} of its series, measured by instance {@code a}. */
    public void second(Instant at, Map<String, ? extends Number> values) {
        emit("metrics", Map.of("at", at.toString(), "instance", "a", "values", values));
    }

    /**
     * Forgets the calls so far, has any instance record an audit event of {@code action}, and says
     * how many calls to {@code endpoint} that made the screen make.
     */
    public int callsAfterAudit(String action, Endpoint endpoint) {
        server.forget();
        emit("audit", Map.of("action", action));
        return server.calls(endpoint).size();
    }

    @Override
    public Subscription subscribe(EventStream.Listener listener) {
        listeners.add(listener);
        listener.onConnection(true, "");
        return () -> listeners.remove(listener);
    }

    @Override
    public void reachedAgain() {}
}
