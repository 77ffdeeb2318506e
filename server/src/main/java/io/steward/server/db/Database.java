package io.steward.server.db;

import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.steward.server.api.SystemInfo;
import io.steward.server.error.ServiceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PostgreSQL: a bounded connection pool, the schema migrations, and the one way to
 * run work in a transaction. Connection failures become {@link ServiceException.Unavailable}
 * (503); other SQL failures become {@link DataAccessException} (500, logged).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final ConnectionSettings settings;
    private final @Nullable ConnectionSettings owner;
    private final Flyway flyway;
    private final String displayUrl;
    private final boolean embedded;

    /**
     * Opens when most recent calls found the database unreachable: calls then fail at once with
     * 503 instead of each waiting the pool's connection timeout, so requests do not pile up during
     * an outage. After a second it lets two trial calls through, and closes when they succeed.
     * Readiness ({@link #ping}) goes around it: it is how an outage's end is seen.
     */
    private final CircuitBreaker breaker = CircuitBreaker.of(
            "database",
            CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(10)
                    .minimumNumberOfCalls(3)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofSeconds(1))
                    .permittedNumberOfCallsInHalfOpenState(2)
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .recordException(ServiceException.Unavailable.class::isInstance)
                    .build());

    private volatile QueryObserver observer = QueryObserver.NONE;

    private Database(
            HikariDataSource pool, ConnectionSettings settings, @Nullable ConnectionSettings owner, boolean embedded) {
        this.pool = pool;
        this.settings = settings;
        this.owner = owner;
        this.displayUrl = withoutCredentials(settings.jdbcUrl());
        this.embedded = embedded;
        this.flyway = Migrations.configure(pool).load();
    }

    /**
     * Opens a pool to the given PostgreSQL and brings its schema up to date.
     *
     * @param embedded whether the server runs this PostgreSQL itself (shown in {@code /system})
     */
    public static Database open(String jdbcUrl, String user, String password, boolean embedded) {
        return open(new ConnectionSettings(jdbcUrl, user, password), null, embedded);
    }

    /**
     * Opens a pool signed in as {@code server} and brings the schema up to date signed in as
     * {@code owner} (as {@code server} itself when null).
     */
    public static Database open(ConnectionSettings server, @Nullable ConnectionSettings owner, boolean embedded) {
        var database = connect(server, owner, embedded);
        database.migrate();
        return database;
    }

    /**
     * A pool to the given PostgreSQL that connects on first use and waits up to 30 s for the
     * server to accept connections, so it can be made while the server is still starting. Call
     * {@link #migrate} before using it.
     */
    public static Database connect(String jdbcUrl, String user, String password, boolean embedded) {
        return connect(new ConnectionSettings(jdbcUrl, user, password), null, embedded);
    }

    /**
     * As {@link #connect(String, String, String, boolean)}, the pool signed in as {@code server};
     * {@link #migrate} and {@link #asOwner} sign in as {@code owner} (as {@code server} when null).
     */
    public static Database connect(ConnectionSettings server, @Nullable ConnectionSettings owner, boolean embedded) {
        String jdbcUrl = server.jdbcUrl();
        var pool = new HikariDataSource();
        pool.setPoolName("steward");
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(server.user());
        pool.setPassword(server.password());
        // Small and bounded: PostgreSQL does best with few busy connections; requests queue for
        // at most connectionTimeout and then get a 503 instead of piling up.
        int cores = Runtime.getRuntime().availableProcessors();
        pool.setMaximumPoolSize(Math.clamp(cores * 4L, 8, 32));
        pool.setMinimumIdle(2);
        pool.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        pool.setValidationTimeout(Duration.ofSeconds(2).toMillis());
        pool.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        pool.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        pool.setInitializationFailTimeout(Duration.ofSeconds(30).toMillis());
        pool.addDataSourceProperty("ApplicationName", "steward-server");
        pool.addDataSourceProperty("connectTimeout", "5");
        pool.addDataSourceProperty("socketTimeout", "60");
        pool.addDataSourceProperty("tcpKeepAlive", "true");
        return new Database(pool, server, owner, embedded);
    }

    /**
     * Brings the schema up to date (Flyway), checking the migrations already applied, signed in as
     * the owner. Without the owner's credentials a schema that needs no migration is only checked.
     */
    public void migrate() {
        var migrating = owner == null ? flyway : Migrations.configure(owner).load();
        var result = migrating.migrate();
        LOG.info(
                "database schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T extends @Nullable Object> T inTransaction(SqlWork<T> work) {
        return guarded(() -> transaction(work, false));
    }

    /**
     * Runs read-only work in one transaction: its statements see one snapshot, and a {@code SET
     * LOCAL} lasts until the work is done.
     */
    public <T extends @Nullable Object> T readInTransaction(SqlWork<T> work) {
        return guarded(() -> transaction(work, true));
    }

    private <T extends @Nullable Object> T transaction(SqlWork<T> work, boolean readOnly) {
        try (Connection connection = pool.getConnection()) {
            return transaction(connection, work, readOnly);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** {@code work} in one transaction on {@code connection}: committed if it returns, rolled back if it throws. */
    private <T extends @Nullable Object> T transaction(Connection connection, SqlWork<T> work, boolean readOnly)
            throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(readOnly);
        try {
            var tx = new Tx(ObservedConnection.wrap(connection, observer));
            T result = work.run(tx);
            connection.commit();
            tx.committedActions().forEach(Database::runQuietly);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /**
     * Runs {@code work} outside any transaction, each statement committing by itself: for
     * maintenance PostgreSQL refuses inside one ({@code VACUUM}).
     */
    public <T extends @Nullable Object> T outsideTransaction(SqlWork<T> work) {
        return guarded(() -> {
            try (Connection connection = pool.getConnection()) {
                return work.run(new Tx(ObservedConnection.wrap(connection, observer)));
            } catch (SQLException e) {
                throw translate(e);
            }
        });
    }

    /**
     * Runs {@code work} in one transaction on a connection of the owner's own, outside the pool: for
     * what only the owner may do (the demo's bulk load and indexes, the audit retention policy).
     *
     * @throws IllegalStateException when this database was opened without the owner's credentials
     */
    public <T extends @Nullable Object> T asOwner(SqlWork<T> work) {
        var credentials = ownerSettings()
                .orElseThrow(() ->
                        new IllegalStateException("this needs the database owner's credentials (--db-owner-user)"));
        try (Connection connection = credentials.open()) {
            return transaction(connection, work, false);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The owner's credentials, when this database was opened with them. */
    public Optional<ConnectionSettings> ownerSettings() {
        return Optional.ofNullable(owner);
    }

    /** What the role the pool signs in as could do to the audit trail. */
    public DatabaseRoles.Access access() {
        return read(tx -> DatabaseRoles.access(tx.connection()));
    }

    /** Runs read-only work; each statement sees committed data. */
    public <T extends @Nullable Object> T read(SqlWork<T> work) {
        return guarded(() -> readOnly(work));
    }

    private <T extends @Nullable Object> T readOnly(SqlWork<T> work) {
        // the pool puts read-only back when the connection returns; no finally here that could
        // hide the real failure behind "connection is closed"
        try (Connection connection = pool.getConnection()) {
            connection.setReadOnly(true);
            return work.run(new Tx(ObservedConnection.wrap(connection, observer)));
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs {@code call} through the breaker: refused at once while it is open. */
    private <T extends @Nullable Object> T guarded(java.util.function.Supplier<T> call) {
        if (!breaker.tryAcquirePermission()) {
            throw new ServiceException.Unavailable("the database is unavailable, try again shortly");
        }
        long started = System.nanoTime();
        try {
            T result = call.get();
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    /** The breaker in front of the database, for the health report. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Whether the database answers a trivial query within {@code timeout}. */
    public boolean ping(Duration timeout) {
        // the pool would wait its whole connection timeout; readiness must answer within its own
        var answer = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread.ofVirtual().name("db-ping").start(() -> {
            try (Connection connection = pool.getConnection();
                    var statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                answer.complete(statement.execute("SELECT 1"));
            } catch (SQLException e) {
                answer.complete(false);
            }
        });
        try {
            return answer.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reports every statement run through {@link #inTransaction} and {@link #read} to {@code observer}. */
    public void observeQueries(QueryObserver observer) {
        this.observer = observer;
    }

    /** The pool's state right now. */
    public PoolStats poolStats() {
        var bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolStats(0, 0, 0, pool.getMaximumPoolSize());
        }
        return new PoolStats(
                bean.getActiveConnections(),
                bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    /** Connections in use, idle, requests waiting for one, and the pool's size limit. */
    public record PoolStats(int active, int idle, int pending, int max) {}

    /** Lets the pool report its own meters (connection wait, usage, timeouts) to {@code registry}. */
    public synchronized void instrumentPool(io.micrometer.core.instrument.MeterRegistry registry) {
        if (pool.getMetricsTrackerFactory() != null) {
            return; // the pool reports to one registry only: the first server built on it
        }
        pool.setMetricsTrackerFactory(
                new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // the transaction has committed; news about it failing must not turn it into an error
            LOG.warn("an after-commit action failed", e);
        }
    }

    /** The raw pool, for the demo loader's COPY and for metrics. */
    public DataSource dataSource() {
        return pool;
    }

    public boolean embedded() {
        return embedded;
    }

    /** How to reach this PostgreSQL outside the pool: for backups, restores and scratch databases. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** The schema version this database is at, e.g. {@code 6}. */
    public String schemaVersion() {
        var current = flyway.info().current();
        return current == null ? "0" : current.getVersion().getVersion();
    }

    /** The JDBC URL without user or password parameters. */
    public String displayUrl() {
        return displayUrl;
    }

    /** PostgreSQL's version string, e.g. {@code 17.7}. */
    public String serverVersion() {
        return read(tx -> {
            var meta = tx.connection().getMetaData();
            return meta.getDatabaseProductVersion();
        });
    }

    /** The migrations applied to this database, oldest first. */
    public List<SystemInfo.Migration> appliedMigrations() {
        return java.util.Arrays.stream(flyway.info().applied())
                .map(Database::toMigration)
                .toList();
    }

    private static SystemInfo.Migration toMigration(MigrationInfo info) {
        return new SystemInfo.Migration(
                Optional.ofNullable(info.getVersion()).map(Object::toString).orElse(""),
                info.getDescription(),
                info.getChecksum(),
                info.getInstalledOn().toInstant(),
                info.getState().isApplied() && !info.getState().isFailed());
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Maps a JDBC failure to what the caller should see. */
    static RuntimeException translate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && lostConnection(sql)) {
                return new ServiceException.Unavailable("the database is unavailable, try again shortly");
            }
        }
        return new DataAccessException(
                "database error " + Optional.ofNullable(e.getSQLState()).orElse(""), e);
    }

    private static boolean lostConnection(SQLException e) {
        String state = Optional.ofNullable(e.getSQLState()).orElse("");
        return e instanceof SQLTransientConnectionException
                || state.startsWith("08") // connection exception
                || state.startsWith("57P") // operator intervention: shutdown, terminated, cannot connect now
                || state.equals("55000") && String.valueOf(e.getMessage()).contains("not currently accepting");
    }

    private static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
