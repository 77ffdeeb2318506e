package io.steward.server;

import io.steward.server.auth.AuthSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.demo.DemoRepository;
import io.steward.server.demo.DemoService;
import io.steward.server.error.ServiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * {@code steward-server}: starts the database (embedded unless {@code --db-url}), migrates it,
 * creates the first admin, seeds demo data when asked, serves HTTP, and on SIGTERM drains
 * requests, stops the database cleanly and exits 0.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (Arrays.asList(args).contains("--help")) {
            out.print(ServerConfig.USAGE);
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv());
        } catch (ServerConfig.InvalidOption e) {
            System.err.println("steward-server: " + e.getMessage());
            System.err.print(ServerConfig.USAGE);
            System.exit(2);
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        try {
            run(config, out);
        } catch (ServerConfig.InvalidOption | ServiceException.Validation e) {
            LOG.error("cannot start: {}", e.getMessage());
            System.err.println("steward-server: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException | IOException e) {
            LOG.error("cannot start", e);
            System.err.println("steward-server: cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(ServerConfig config, PrintStream out) throws IOException {
        LOG.info("starting with {}", config);
        try {
            Files.createDirectories(config.dataDir());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ServerConfig.InvalidOption("the data folder " + config.dataDir() + " is a file, not a folder");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ServerConfig.InvalidOption("no permission to create the data folder " + config.dataDir());
        }
        var running = new Running();
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "steward-shutdown"));
        // SIGTERM and Ctrl-C are a normal way to stop: exit 0 after the shutdown hook has run
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> System.exit(0));
        }

        Database db;
        if (config.embeddedDatabase()) {
            running.embedded = EmbeddedDatabase.start(config.dataDir());
            db = Database.open(running.embedded.jdbcUrl(), running.embedded.user(), running.embedded.password(), true);
        } else {
            db = Database.open(
                    config.dbUrl().orElseThrow(),
                    config.dbUser().orElse(""),
                    config.dbPassword().orElse(""),
                    false);
        }
        running.db = db;

        Clock clock = Clock.systemUTC();
        var server = new StewardServer(config, db, clock, AuthSettings.defaults());
        running.server = server;
        var admin = server.staffBootstrap()
                .ensureAdmin(
                        System.getenv("STEWARD_ADMIN_EMAIL") == null
                                ? null
                                : System.getenv("STEWARD_ADMIN_EMAIL").trim(),
                        System.getenv("STEWARD_ADMIN_PASSWORD"));
        admin.ifPresent(created -> announceAdmin(config.dataDir(), created, out));
        if (config.demoUsers() > 0) {
            new DemoService(db, new DemoRepository(), clock).seed(config.demoUsers());
            server.staffBootstrap().ensureDemoStaff();
        }

        server.start();
        out.println("Steward server listening on " + server.baseUrl());
        out.flush();
        running.awaitStop();
    }

    private static void announceAdmin(
            Path dataDir, io.steward.server.users.StaffBootstrap.CreatedAdmin admin, PrintStream out) {
        Optional<String> password = admin.generatedPassword();
        if (password.isEmpty()) {
            LOG.info("created the first admin account {}", admin.email());
            return;
        }
        Path file = dataDir.resolve("initial-admin-password");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file, password.get() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", file, e.getMessage());
        }
        out.println("Created the first admin account: " + admin.email());
        out.println("Its password (shown once, also in " + file + "): " + password.get());
        out.flush();
    }

    /** What has been started, stopped in reverse order exactly once. */
    private static final class Running {
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Nullable
        EmbeddedDatabase embedded;

        @Nullable
        Database db;

        @Nullable
        StewardServer server;

        synchronized void stop() {
            if (stopped.getCount() == 0) {
                return;
            }
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
            stopped.countDown();
        }

        void awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
