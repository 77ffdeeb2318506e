package io.steward.server.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL of a test's own, on a data folder and port that stay the same, so the test can
 * crash it (an immediate shutdown: every backend killed, no checkpoint, crash recovery at the next
 * start) and start it again, as an outage of a production database would go.
 */
public final class OwnPostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;
    private ProcessHandle postmaster;

    private OwnPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        boot();
    }

    public static OwnPostgres start(String name) {
        return start(name, true);
    }

    /** As {@link #start(String)}; without Steward's roles when {@code withRoles} is false. */
    public static OwnPostgres start(String name, boolean withRoles) {
        try {
            Path parent = Path.of("target", "own-postgres").toAbsolutePath();
            Files.createDirectories(parent);
            var started = new OwnPostgres(Files.createTempDirectory(parent, name + "-"), freePort());
            if (withRoles) {
                try (Connection c = started.postgres.getPostgresDatabase().getConnection()) {
                    io.steward.server.db.DatabaseRoles.create(
                            c, TestDatabase.ROLE_PASSWORD, TestDatabase.ROLE_PASSWORD);
                }
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void boot() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // as the server's own embedded PostgreSQL: a commit is acknowledged once on disk
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code sql}, statements ending in semicolons, one by one as the superuser in database {@code database}. */
    public void superuserRun(String database, String sql) throws SQLException {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement()) {
            for (String statement : sql.split(";\\s*(\\n|$)")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    /** Creates a database owned by the owner role and returns its JDBC URL. */
    public String createDatabase(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + io.steward.server.db.DatabaseRoles.OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return jdbcUrl(name);
    }

    /** Creates database {@code name} and opens it as the server does (see {@link TestDatabase#open}). */
    public io.steward.server.db.Database createAndOpen(String name) {
        String url = createDatabase(name);
        return io.steward.server.db.Database.open(
                new io.steward.server.db.ConnectionSettings(
                        url, io.steward.server.db.DatabaseRoles.SERVER, TestDatabase.ROLE_PASSWORD),
                new io.steward.server.db.ConnectionSettings(
                        url, io.steward.server.db.DatabaseRoles.OWNER, TestDatabase.ROLE_PASSWORD),
                false);
    }

    /**
     * Shuts PostgreSQL down the immediate way (SIGQUIT to the postmaster): its backends die at once
     * and it answers nothing more. Returns as soon as the signal is sent; {@link #restart()} waits
     * for the postmaster to be gone.
     */
    public void crash() throws IOException, InterruptedException {
        postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.pid()))
                .start()
                .waitFor();
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip());
    }

    /** Starts PostgreSQL again on the same folder and port, after {@link #crash()}. */
    public void restart() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (postmaster != null && postmaster.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not stop within 30 s");
            }
            Thread.sleep(10);
        }
        try {
            postgres.close(); // lets go of the data folder's lock; the server itself is already gone
        } catch (IOException ignored) {
            // stopping a PostgreSQL that is not running fails; that is expected here
        }
        boot();
    }

    /**
     * A streaming replica of this PostgreSQL, as production would run one: this server is stopped
     * cleanly, its folder copied (the base backup), and the copy started as a hot standby that
     * follows this one's WAL over a replication connection. Returns once the replica streams.
     */
    public OwnPostgres standby(String name) throws IOException, InterruptedException {
        postgres.close();
        Path copy = Files.createTempDirectory(dataDir.getParent(), name + "-");
        try (var files = Files.walk(dataDir)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(dataDir.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (!from.getFileName().toString().equals("postmaster.pid")) {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.writeString(copy.resolve("standby.signal"), "");
        Files.writeString(
                copy.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + port + " user=postgres application_name=" + name + "'\n",
                java.nio.file.StandardOpenOption.APPEND);
        boot();
        var replica = new OwnPostgres(copy, freePort());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!streaming(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not start streaming within 30 s");
            }
            Thread.sleep(50);
        }
        return replica;
    }

    private boolean streaming(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = '" + name
                        + "' AND state = 'streaming'")) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code name} here. */
    public String jdbcUrl(String name) {
        return postgres.getJdbcUrl("postgres", name).replaceAll("[?&]user=[^&]*", "");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
