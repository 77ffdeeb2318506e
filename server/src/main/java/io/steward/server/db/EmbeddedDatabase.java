package io.steward.server.db;

import io.steward.server.files.PrivateFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 run by the server itself, with its data in {@code <data-dir>/pg} so it
 * survives restarts. It listens on loopback only and requires a password (SCRAM), generated on
 * first start and kept owner-only in {@code <data-dir>}: {@code pg-password} for the superuser,
 * {@code pg-owner-password} and {@code pg-server-password} for the roles the server migrates and
 * works as ({@link DatabaseRoles}), so other local users cannot connect to it.
 *
 * <p>If the previous server process died without stopping it (kill -9, power loss), the
 * orphaned postmaster still holds the data folder: it is stopped before the new one starts, and
 * PostgreSQL's own crash recovery replays the WAL.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String SUPERUSER = "postgres";

    private final Path dataDir;
    private final String password;
    private final String ownerPassword;
    private final String serverPassword;
    private final int port;
    private @Nullable EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path dataDir, String password, String ownerPassword, String serverPassword, int port) {
        this.dataDir = dataDir;
        this.password = password;
        this.ownerPassword = ownerPassword;
        this.serverPassword = serverPassword;
        this.port = port;
    }

    /**
     * The PostgreSQL whose data lives under {@code dataDir}, ready to {@link #start}: its password
     * exists, a postmaster orphaned by a dead server is stopped, and a free loopback port is
     * chosen, so that its JDBC URL is known before it runs.
     */
    public static EmbeddedDatabase prepare(Path dataDir) {
        try {
            PrivateFiles.folder(dataDir);
            String password = passwordIn(dataDir.resolve("pg-password"));
            String ownerPassword = passwordIn(dataDir.resolve("pg-owner-password"));
            String serverPassword = passwordIn(dataDir.resolve("pg-server-password"));
            stopOrphan(dataDir.resolve("pg"));
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return new EmbeddedDatabase(dataDir, password, ownerPassword, serverPassword, socket.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** Prepares and starts (initialising on first use) the PostgreSQL whose data lives under {@code dataDir}. */
    public static EmbeddedDatabase start(Path dataDir) {
        var database = prepare(dataDir);
        database.start();
        return database;
    }

    /**
     * Starts it, initialising its data folder on first use, from its programs once they are
     * checked (see {@link PostgresBinaries}); returns once it accepts connections.
     *
     * @throws UncheckedIOException caused by {@link PostgresBinaries.Refused} when the programs'
     *     folder is not this user's alone
     */
    public synchronized void start() {
        Path pgData = dataDir.resolve("pg");
        boolean fresh = !Files.exists(pgData.resolve("PG_VERSION"));
        try {
            var binaries = PostgresBinaries.prepare(dataDir.resolve("pg-binaries"));
            Path pwFile = Files.createTempFile(dataDir, "initdb", ".pw", PrivateFiles.fileAttribute());
            try {
                Files.writeString(pwFile, password, StandardCharsets.UTF_8);
                postgres = builder(binaries)
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setPort(port)
                        .setPGStartupWait(Duration.ofSeconds(120))
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("unix_socket_directories", "")
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("shared_buffers", "128MB")
                        // the library's default is off, which acknowledges a commit before its WAL
                        // is on disk: a crash could lose acknowledged writes
                        .setServerConfig("synchronous_commit", "on")
                        // initdb gets the superuser password, then pg_hba.conf demands it
                        .setLocaleConfig("pwfile", pwFile.toString())
                        .setDataDirectoryCustomizer(dir -> requirePasswords(dir.toPath()))
                        .setConnectConfig("password", password)
                        .setOverrideWorkingDirectory(binaries.workingDirectory())
                        .setPgBinaryResolver(binaries.resolver())
                        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                        .start();
                prepareRoles();
                LOG.info(
                        "embedded PostgreSQL {} on 127.0.0.1:{} (data {})",
                        fresh ? "initialised and started" : "started",
                        port,
                        pgData);
            } finally {
                binaries.tighten();
                Files.deleteIfExists(pwFile);
            }
        } catch (PostgresBinaries.Refused e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Makes the owner and server roles ({@link DatabaseRoles}) and gives the owner the schema, also
     * what a superuser made in it (a database from before the roles, or restored by a superuser).
     */
    private void prepareRoles() throws IOException {
        try (var connection = superuser().open()) {
            DatabaseRoles.create(connection, ownerPassword, serverPassword);
            DatabaseRoles.handOver(connection);
        } catch (java.sql.SQLException e) {
            throw new IOException("could not set up the database roles: " + e.getMessage(), e);
        }
    }

    /**
     * The library's builder, with its "working directory" in {@code binaries}' private folder. The
     * library reads it from a system property when the builder is made, and on every start clears
     * out what it takes for stale data folders there (it writes into their lock files and stops a
     * postmaster a {@code postmaster.pid} there names): left at its default, a shared folder under
     * {@code /tmp}, another local user could point that at Steward's own files.
     */
    private static EmbeddedPostgres.Builder builder(PostgresBinaries binaries) throws IOException {
        String library = binaries.libraryFolder().toString();
        synchronized (EmbeddedDatabase.class) {
            String property = "ot.epg.working-dir";
            String before = System.getProperty(property);
            System.setProperty(property, library);
            try {
                return EmbeddedPostgres.builder();
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
        }
    }

    /** JDBC URL of the application database (known before it starts). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** The superuser: for restores, which replace the whole schema. */
    public ConnectionSettings superuser() {
        return new ConnectionSettings(jdbcUrl(), SUPERUSER, password);
    }

    /** The role that owns the tables and runs the migrations. */
    public ConnectionSettings owner() {
        return new ConnectionSettings(jdbcUrl(), DatabaseRoles.OWNER, ownerPassword);
    }

    /** The role the server works as: it may not change the audit trail's history. */
    public ConnectionSettings server() {
        return new ConnectionSettings(jdbcUrl(), DatabaseRoles.SERVER, serverPassword);
    }

    /** The process id of the PostgreSQL running on {@code dataDir}, for the health check of the embedded process. */
    public static Optional<Long> postmasterPid(Path dataDir) {
        return readPid(dataDir.resolve("pg"));
    }

    /** Stops it, if it was started. */
    @Override
    public synchronized void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
            LOG.info("embedded PostgreSQL stopped");
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static void requirePasswords(Path pgData) {
        try {
            Files.writeString(pgData.resolve("pg_hba.conf"), """
                    # Written by Steward: loopback TCP only, always with a password.
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String passwordIn(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        Files.createFile(file, PrivateFiles.fileAttribute());
        PrivateFiles.restrict(file);
        Files.writeString(file, password, StandardCharsets.UTF_8);
        return password;
    }

    /** Stops a postmaster left running on our data folder by a process that died. */
    private static void stopOrphan(Path pgData) {
        readPid(pgData)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .ifPresent(orphan -> {
                    String command = orphan.info().command().orElse("");
                    if (!command.endsWith("postgres")) {
                        return; // the pid was reused by something else; PostgreSQL removes the stale file itself
                    }
                    LOG.warn("stopping PostgreSQL (pid {}) left running by a previous server process", orphan.pid());
                    orphan.destroy(); // SIGTERM: smart shutdown; its clients died with the old process
                    try {
                        orphan.onExit().get(30, TimeUnit.SECONDS);
                    } catch (InterruptedException
                            | java.util.concurrent.ExecutionException
                            | java.util.concurrent.TimeoutException e) {
                        LOG.warn("PostgreSQL pid {} did not stop in 30 s, killing it", orphan.pid());
                        orphan.destroyForcibly();
                        orphan.onExit().join();
                    }
                });
    }

    private static Optional<Long> readPid(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
