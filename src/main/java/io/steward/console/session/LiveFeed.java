package io.steward.console.session;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.console.client.EventStream;
import io.steward.console.client.LiveSource;
import io.steward.console.client.Subscription;
import io.steward.server.api.AlertView;
import io.steward.server.api.HealthReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's live stream as JavaFX properties, shared by every screen: the latest second of
 * metrics, the latest health report, firing/resolving alerts, and whether the stream is live. The
 * stream's thread never touches the properties: values are handed to the UI thread, and the 1 Hz
 * metrics are coalesced so that a slow UI sees the newest second rather than a queue of old ones.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /**
     * One second of the server's series: name → value ({@code NaN} when the server had none), and
     * the instance that measured them (several may serve behind a load balancer).
     */
    public record Sample(Instant at, String instance, Map<String, Double> values) {
        public double value(String series) {
            return values.getOrDefault(series, Double.NaN);
        }
    }

    private final LiveSource source;
    private final TaskExecutor executor;
    private final Consumer<String> onSessionEnded;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ObjectProperty<@Nullable Sample> sample = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable HealthReport> health = new SimpleObjectProperty<>();
    private final BooleanProperty live = new SimpleBooleanProperty(false);
    private final StringProperty problem = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable Instant> lostAt = new SimpleObjectProperty<>();
    private final CopyOnWriteArrayList<Consumer<AlertView>> alertListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> auditListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<Sample>> sampleListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable Sample> pendingSample = new AtomicReference<>();
    private final AtomicBoolean samplePosted = new AtomicBoolean();
    private @Nullable Subscription stream;

    /**
     * @param onSessionEnded called on the UI thread when the server says the sign-in ended, with
     *     its reason in words ("you signed out", "your role was changed"…), or with "" when the
     *     stream was refused for an expired sign-in
     */
    public LiveFeed(LiveSource source, TaskExecutor executor, Consumer<String> onSessionEnded) {
        this.source = source;
        this.executor = executor;
        this.onSessionEnded = onSessionEnded;
    }

    /** Opens the stream; it reconnects by itself until {@link #close()}. */
    public void start() {
        stream = source.subscribe(new EventStream.Listener() {
            @Override
            public void onEvent(String type, JsonNode data) {
                receive(type, data);
            }

            @Override
            public void onConnection(boolean connected, String why) {
                if (connected) {
                    source.reachedAgain();
                }
                executor.ui(() -> {
                    if (connected) {
                        lostAt.set(null);
                    } else if (live.get() || lostAt.get() == null) {
                        lostAt.set(Instant.now());
                    }
                    live.set(connected);
                    problem.set(why);
                });
            }

            @Override
            public void onSessionExpired() {
                executor.ui(() -> onSessionEnded.accept(""));
            }
        });
    }

    private void receive(String type, JsonNode data) {
        try {
            switch (type) {
                case "metrics" -> {
                    var values = new HashMap<String, Double>();
                    data.path("values")
                            .properties()
                            .forEach(entry -> values.put(
                                    entry.getKey(),
                                    entry.getValue().isNumber()
                                            ? entry.getValue().asDouble()
                                            : Double.NaN));
                    pendingSample.set(new Sample(
                            Instant.parse(data.path("at").asText()),
                            data.path("instance").asText(""),
                            Map.copyOf(values)));
                    if (samplePosted.compareAndSet(false, true)) {
                        executor.ui(this::publishSample);
                    }
                }
                case "health" -> {
                    HealthReport report = mapper.treeToValue(data, HealthReport.class);
                    executor.ui(() -> health.set(report));
                }
                case "alert" -> {
                    AlertView alert = mapper.treeToValue(data, AlertView.class);
                    executor.ui(() -> alertListeners.forEach(listener -> listener.accept(alert)));
                }
                case "session-ended" -> {
                    String reason = data.path("reason").asText("");
                    executor.ui(() -> onSessionEnded.accept(reason));
                }
                case "audit" -> {
                    String action = data.path("action").asText("");
                    executor.ui(() -> auditListeners.forEach(listener -> listener.accept(action)));
                }
                default -> {
                    // anything newer than this console: ignored
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("ignoring a {} event the console cannot read: {}", type, e.getMessage());
        }
    }

    private void publishSample() {
        samplePosted.set(false);
        Sample latest = pendingSample.getAndSet(null);
        if (latest != null) {
            sample.set(latest);
            sampleListeners.forEach(listener -> listener.accept(latest));
        }
    }

    /** The latest second of metrics. */
    public ReadOnlyObjectProperty<@Nullable Sample> sampleProperty() {
        return sample;
    }

    /** Called on the UI thread for each second of metrics that reaches it. */
    public void onSample(Consumer<Sample> listener) {
        sampleListeners.add(listener);
    }

    /** The latest health report pushed by the server (it pushes on change). */
    public ObjectProperty<@Nullable HealthReport> healthProperty() {
        return health;
    }

    /** Called on the UI thread for each alert that changes state. */
    public void onAlert(Consumer<AlertView> listener) {
        alertListeners.add(listener);
    }

    /**
     * Called on the UI thread with the action of each audit event recorded on any instance
     * ({@code backup.verified}, …); a screen asks the server for the details it needs.
     */
    public void onAudit(Consumer<String> listener) {
        auditListeners.add(listener);
    }

    /** True while the stream is open. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live;
    }

    /** Why the stream is not open, in words. */
    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** When the stream was lost; {@code null} while it is live. */
    public ReadOnlyObjectProperty<@Nullable Instant> lostAtProperty() {
        return lostAt;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
