package io.steward.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.db.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between the instances on one PostgreSQL, through LISTEN/NOTIFY on one channel. A
 * message is one of the kinds of {@link ClusterMessage}; an instance does not hear its own.
 * NOTIFY is delivered when its transaction commits, to every session listening then, in order;
 * one that is not listening (its connection dropped) misses it, so a listener is also told when
 * the bus reconnects and should catch up from the database.
 */
public final class ClusterBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);
    static final String CHANNEL = "steward_cluster";
    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD = 7_900;

    private static final Duration RECONNECT = Duration.ofSeconds(1);
    /** Messages waiting to be sent before new ones are dropped. */
    static final int OUTBOX = 10_000;

    private final ConnectionSettings settings;
    /** Tells this bus's own messages from the others' (names may be set alike by mistake). */
    private final String origin = java.util.UUID.randomUUID().toString();

    private final ClusterMessages messages;
    private final Map<Class<? extends ClusterMessage>, List<Consumer<ClusterMessage>>> listeners =
            new ConcurrentHashMap<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private final Thread sender;
    private final java.util.concurrent.BlockingQueue<String> outbox =
            new java.util.concurrent.LinkedBlockingQueue<>(OUTBOX);
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    public ClusterBus(ConnectionSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.messages = new ClusterMessages(mapper);
        this.listener =
                Thread.ofPlatform().name("steward-cluster-listen").daemon().unstarted(this::listen);
        this.sender = Thread.ofPlatform().name("steward-cluster-send").daemon().unstarted(this::send);
    }

    /** Calls {@code listener} with every message of {@code kind} from another instance. */
    public <M extends ClusterMessage> void on(Class<M> kind, Consumer<? super M> listener) {
        listeners
                .computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>())
                .add(message -> listener.accept(kind.cast(message)));
    }

    /** Calls {@code listener} each time the bus listens again after losing its connection. */
    public void onReconnect(Runnable listener) {
        reconnected.add(listener);
    }

    public void start() {
        listener.start();
        sender.start();
    }

    /**
     * Tells the other instances. Never waits and never throws: the message is queued and sent on
     * the bus's own connection, in order (a full queue or a failed send is logged and counted —
     * the others catch up from the database when it matters).
     */
    public void publish(ClusterMessage message) {
        String topic = ClusterMessages.topic(message);
        try {
            String payload = messages.write(origin, message);
            if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD) {
                LOG.warn("cluster message on {} too large to send ({} characters)", topic, payload.length());
                return;
            }
            if (!outbox.offer(payload)) {
                dropped.increment();
                LOG.warn("cluster message on {} dropped: {} waiting to be sent", topic, outbox.size());
            }
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("cluster message on {} not sent: {}", topic, e.getMessage());
        }
    }

    /** Messages not sent (queue full or the database away), since start. */
    public long droppedCount() {
        return dropped.sum();
    }

    private void send() {
        Connection connection = null;
        while (!closed) {
            String payload;
            try {
                payload = outbox.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (connection == null) {
                    connection = settings.open();
                    try (var statement = connection.createStatement()) {
                        statement.execute("SET application_name = 'steward-cluster-send'");
                    }
                }
                try (var ps = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, CHANNEL);
                    ps.setString(2, payload);
                    ps.execute();
                }
            } catch (SQLException e) {
                dropped.increment();
                LOG.warn("cluster message not sent: {}", e.getMessage());
                closeQuietly(connection);
                connection = null;
            }
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(@org.jspecify.annotations.Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the bus's connection: {}", e.getMessage());
            }
        }
    }

    private void listen() {
        boolean first = true;
        while (!closed) {
            try (Connection connection = settings.open()) {
                try (var statement = connection.createStatement()) {
                    statement.execute("SET application_name = 'steward-cluster-listen'; LISTEN " + CHANNEL);
                }
                if (!first) {
                    LOG.info("cluster bus listening again");
                    reconnected.forEach(ClusterBus::runQuietly);
                }
                first = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        deliver(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn(
                            "cluster bus lost its connection ({}); listening again in {} s",
                            e.getMessage(),
                            RECONNECT.toSeconds());
                }
            }
            sleepQuietly(RECONNECT);
        }
    }

    /**
     * Hands a NOTIFY's payload to the listeners of its kind. Never throws, or the connection would
     * be dropped: what cannot be read is logged and ignored, and so is a listener's failure (the
     * others still hear the message).
     */
    void deliver(String payload) {
        messages.read(payload, origin).ifPresent(message -> {
            for (var l : listeners.getOrDefault(message.getClass(), List.of())) {
                try {
                    l.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("cluster message on {} not handled", ClusterMessages.topic(message), e);
                }
            }
        });
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("catching up after a reconnect failed", e);
        }
    }

    private void sleepQuietly(Duration d) {
        if (closed) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        sender.interrupt();
        try {
            if (listener.isAlive()) {
                listener.join(Duration.ofSeconds(5));
            }
            if (sender.isAlive()) {
                sender.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
