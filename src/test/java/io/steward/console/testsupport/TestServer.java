package io.steward.console.testsupport;

import io.steward.server.embed.InProcessServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Steward server for console tests: embedded PostgreSQL, a few hundred demo users, staff
 * accounts with a known password. One per test JVM unless a test needs its own (to stop it).
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN = "admin@steward.local";
    public static final String SUPPORT = "support@steward.local";
    public static final String AUDITOR = "auditor@steward.local";
    public static final String PASSWORD = "Console-Tests-Passphrase-42";

    private static TestServer shared;

    private final List<String> args;
    private final Map<String, String> env;
    private InProcessServer server;

    private TestServer(Path dataDir, int port, String... extraArgs) {
        this.args = new ArrayList<>(List.of(
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.toString(),
                "--demo=300",
                "--health-interval",
                "1"));
        args.addAll(List.of(extraArgs));
        this.env = Map.of("STEWARD_ADMIN_EMAIL", ADMIN, "STEWARD_ADMIN_PASSWORD", PASSWORD);
        this.server = InProcessServer.start(args, env);
    }

    /** The server shared by the tests of this JVM, started on first use. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = new TestServer(freshFolder("shared"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-server-stop"));
        }
        return shared;
    }

    /** A server of its own, on a fixed port so that it can be stopped and started again at the same address. */
    public static TestServer own(String name) {
        return new TestServer(freshFolder(name), freePort());
    }

    /** A server of its own started with extra options, e.g. {@code --gdpr-recipients}. */
    public static TestServer ownWith(String name, String... args) {
        return new TestServer(freshFolder(name), freePort(), args);
    }

    public URI url() {
        return URI.create(server.baseUrl() + "/");
    }

    /** Stops it (as a crash or a restart would look to a console). */
    @Override
    public synchronized void close() {
        server.close();
    }

    /** Starts it again on the same port with the same data. */
    public synchronized void restart() {
        server = InProcessServer.start(args, env);
    }

    private static Path freshFolder(String name) {
        try {
            Path folder = Path.of(
                            "target",
                            "test-servers",
                            name + "-" + ProcessHandle.current().pid())
                    .toAbsolutePath();
            Files.createDirectories(folder.getParent());
            return Files.createTempDirectory(folder.getParent(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
