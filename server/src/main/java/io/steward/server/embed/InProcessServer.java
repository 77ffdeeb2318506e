package io.steward.server.embed;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.server.auth.AuthSettings;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.demo.DemoRepository;
import io.steward.server.demo.DemoService;
import io.steward.server.error.ServiceException;
import io.steward.server.files.PrivateFiles;
import io.steward.server.users.StaffBootstrap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Steward server in this JVM: its database (embedded unless a URL is configured),
 * migrations, the first admin, demo data when asked, and HTTP. The command line runs one; so does
 * the console for "this computer", which then talks to it over loopback HTTP like to any other
 * server. Closing it drains requests and stops the database cleanly, exactly once.
 */
public final class InProcessServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessServer.class);

    private final ServerConfig config;
    private Optional<FirstAdmin> firstAdmin = Optional.empty();
    private @Nullable EmbeddedDatabase embedded;
    private @Nullable Database db;
    private @Nullable StewardServer server;
    private @Nullable String baseUrl;
    private boolean closed;

    /**
     * The admin account created on this start, if one was: its e-mail and, when no password was
     * configured, the generated one (also written to {@code <data-dir>/initial-admin-password}).
     */
    public record FirstAdmin(String email, Optional<String> generatedPassword, Optional<Path> passwordFile) {}

    private InProcessServer(ServerConfig config) {
        this.config = config;
    }

    /**
     * Starts a server from command-line style options ({@code --port 0}, {@code --data-dir},
     * {@code --demo=N}, …) and the environment, and returns once it listens.
     *
     * @throws StartFailed with a sentence for a person when it cannot start
     */
    public static InProcessServer start(List<String> args, Map<String, String> env) {
        ServerConfig config;
        try {
            config = ServerConfig.parse(args.toArray(String[]::new), env);
        } catch (ServerConfig.InvalidOption e) {
            throw new StartFailed(String.valueOf(e.getMessage()), true);
        }
        var server = new InProcessServer(config);
        server.start(env);
        return server;
    }

    /**
     * A server for {@code config}, not started yet: {@link #close()} may be called from another
     * thread (a shutdown hook) while {@link #start} runs, and stops whatever has started so far.
     */
    public static InProcessServer prepare(ServerConfig config) {
        return new InProcessServer(config);
    }

    /**
     * Creates the data folder, starts the database, migrates, creates the first admin, seeds demo
     * data when configured, and listens.
     *
     * @throws StartFailed with a sentence for a person; whatever had started is stopped again
     */
    public void start(Map<String, String> env) {
        LOG.info("starting with {}", config);
        try {
            PrivateFiles.folder(config.dataDir());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new StartFailed("the data folder " + config.dataDir() + " is a file, not a folder", true);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StartFailed("no permission to create the data folder " + config.dataDir(), true);
        } catch (IOException e) {
            throw new StartFailed("cannot create the data folder " + config.dataDir() + ": " + e.getMessage(), true);
        }
        try {
            launch(env);
        } catch (ServerConfig.InvalidOption | ServiceException.Validation e) {
            close();
            throw new StartFailed(String.valueOf(e.getMessage()), true);
        } catch (java.io.UncheckedIOException e) {
            close();
            if (e.getCause() instanceof io.steward.server.db.PostgresBinaries.Refused refused) {
                throw new StartFailed(String.valueOf(refused.getMessage()), true);
            }
            LOG.error("cannot start", e);
            throw new StartFailed("cannot start: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            LOG.error("cannot start", e);
            close();
            throw new StartFailed("cannot start: " + e.getMessage(), false);
        }
    }

    private void launch(Map<String, String> env) {
        Database database;
        Runnable bringUp;
        if (config.embeddedDatabase()) {
            EmbeddedDatabase postgres = EmbeddedDatabase.prepare(config.dataDir());
            synchronized (this) {
                embedded = postgres;
            }
            database = Database.connect(postgres.server(), postgres.owner(), true);
            bringUp = () -> {
                postgres.start();
                database.migrate();
            };
        } else {
            String url = config.dbUrl().orElseThrow();
            database = Database.connect(
                    new ConnectionSettings(
                            url, config.dbUser().orElse(""), config.dbPassword().orElse("")),
                    config.dbOwnerUser()
                            .map(owner -> new ConnectionSettings(
                                    url, owner, config.dbOwnerPassword().orElse("")))
                            .orElse(null),
                    false);
            bringUp = database::migrate;
        }
        synchronized (this) {
            db = database;
        }
        // PostgreSQL starts and the schema is checked while this thread builds the server, which
        // touches the database only once it starts: together they take the longer of the two
        var databaseReady = new FutureTask<Void>(bringUp, null);
        Thread.ofPlatform().name("steward-database-start").start(databaseReady);
        Clock clock = Clock.systemUTC();
        var steward = new StewardServer(config, database, clock, AuthSettings.defaults());
        synchronized (this) {
            server = steward;
        }
        awaitDatabase(databaseReady);
        String email = env.get("STEWARD_ADMIN_EMAIL");
        firstAdmin = steward.staffBootstrap()
                .ensureAdmin(email == null ? null : email.trim(), env.get("STEWARD_ADMIN_PASSWORD"))
                .map(created -> recordAdmin(config.dataDir(), created));
        seedDemo(database, clock, steward);
        steward.start();
        baseUrl = steward.baseUrl();
    }

    /**
     * Builds the indexes an interrupted demo seeding left unbuilt, then seeds the demo users asked
     * for: bulk loads and indexes are the owner's to make, on a pool of its own for the while.
     */
    private void seedDemo(Database database, Clock clock, StewardServer steward) {
        var ownerSettings = database.ownerSettings().orElse(database.settings());
        try (Database owner = Database.connect(ownerSettings, null, database.embedded())) {
            var demo = new DemoService(owner, new DemoRepository(), clock);
            demo.finishPendingIndexes();
            if (config.demoUsers() > 0) {
                demo.seed(config.demoUsers());
                steward.staffBootstrap().ensureDemoStaff();
            }
        }
    }

    private static void awaitDatabase(FutureTask<Void> databaseReady) {
        try {
            databaseReady.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the database was starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static FirstAdmin recordAdmin(Path dataDir, StaffBootstrap.CreatedAdmin admin) {
        Optional<String> password = admin.generatedPassword();
        if (password.isEmpty()) {
            LOG.info("created the first admin account {}", admin.email());
            return new FirstAdmin(admin.email(), Optional.empty(), Optional.empty());
        }
        Path file = dataDir.resolve("initial-admin-password");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PrivateFiles.fileAttribute());
            PrivateFiles.restrict(file);
            Files.writeString(
                    file, password.get() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new FirstAdmin(admin.email(), password, Optional.of(file));
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", file, e.getMessage());
            return new FirstAdmin(admin.email(), password, Optional.empty());
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return Objects.requireNonNull(baseUrl);
    }

    /** The data folder: the embedded database, the initial admin password, backups. */
    public Path dataDir() {
        return config.dataDir();
    }

    /** The admin created on this start, if any. */
    public Optional<FirstAdmin> firstAdmin() {
        return firstAdmin;
    }

    /** Stops accepting, drains in-flight requests, closes the pool and stops the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping: draining requests");
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        LOG.info("stopped");
    }

    /**
     * The server could not start. The message is a sentence for a person; {@code badConfiguration}
     * says whether the cause is what it was asked to do (an option, the data folder) rather than a
     * failure while starting.
     */
    public static final class StartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean badConfiguration;

        public StartFailed(String message, boolean badConfiguration) {
            super(message);
            this.badConfiguration = badConfiguration;
        }

        public boolean badConfiguration() {
            return badConfiguration;
        }
    }
}
