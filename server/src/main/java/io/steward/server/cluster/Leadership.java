package io.steward.server.cluster;

import io.steward.server.db.ConnectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance leads: the one holding a PostgreSQL session advisory lock, on a connection of its
 * own. Every {@code interval} a follower tries to take the lock and the leader checks that its
 * session is still there. The lock goes when the leader's session does — at once when the
 * process stops or is killed (the socket closes), within PostgreSQL's TCP keep-alive when its host
 * vanishes — and another instance takes over at its next try. A leader whose session is gone
 * opens another and takes the lock again; if it finds the lock taken, it steps down. While it
 * cannot reach the database at all it goes on leading, since the alerts about that very outage
 * must still fire: the price is that, if only the leader is cut off from the database, two
 * instances may send the same alert until it reaches the database again.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The lock's key: "StewLead". */
    static final long LOCK = 0x537465774C656164L;

    private static final int CHECK_SECONDS = 1;

    private final ConnectionSettings settings;
    private final Supplier<String> instance;
    private final Duration interval;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-leadership").daemon().factory());
    private @Nullable Connection session;
    private volatile boolean leader;

    public Leadership(ConnectionSettings settings, Supplier<String> instance, Duration interval) {
        this.settings = settings;
        this.instance = instance;
        this.interval = interval;
    }

    /** Called with {@code true} when this instance starts to lead, {@code false} when it stops. */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    public boolean isLeader() {
        return leader;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            boolean fresh = false;
            if (session == null || !session.isValid(CHECK_SECONDS)) {
                closeSession();
                session = open();
                fresh = true;
            }
            if (leader && !fresh) {
                return; // the same session: it still holds the lock
            }
            boolean locked = tryLock(session);
            if (locked && !leader) {
                leader = true;
                LOG.info("instance {} now leads (alerts, daily jobs)", instance.get());
                listeners.forEach(l -> l.accept(true));
            } else if (!locked && leader) {
                LOG.warn("instance {} lost its database session and another instance leads now", instance.get());
                stepDown();
            }
        } catch (SQLException | RuntimeException e) {
            // A leader that cannot reach the database at all keeps leading: that is when the
            // alerts matter most, and no one who cannot reach it either can take over. It asks
            // again each interval and steps down as soon as it finds another in its place.
            LOG.debug("leadership check failed: {}", e.getMessage());
            closeSession();
        }
    }

    private Connection open() throws SQLException {
        Connection connection = settings.open();
        try (var statement = connection.createStatement()) {
            // a vanished host's session (and its lock) is dropped in about 11 s
            statement.execute("SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2;"
                    + " SET tcp_keepalives_count = 3; SET application_name = 'steward-leadership'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (var ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void stepDown() {
        leader = false;
        closeSession();
        listeners.forEach(l -> l.accept(false));
    }

    private void closeSession() {
        Connection s = session;
        session = null;
        if (s != null) {
            try {
                s.close();
            } catch (SQLException e) {
                LOG.debug("closing the leadership session: {}", e.getMessage());
            }
        }
    }

    /** Stops trying; a leader lets go at once (closing its session frees the lock). */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leader) {
            stepDown();
        } else {
            closeSession();
        }
    }
}
