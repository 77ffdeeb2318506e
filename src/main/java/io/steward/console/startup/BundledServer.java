package io.steward.console.startup;

import io.steward.server.embed.AotCache;
import io.steward.server.embed.InProcessServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server that ships with the console, run inside the console's own process on a free
 * loopback port, with its embedded database in the user's data folder (or {@code --data-dir}).
 * The console still talks to it over HTTP like to any other server; it stops with the console.
 * See docs/decisions/0006-bundled-server-in-process.md.
 */
public final class BundledServer implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicBoolean firstAdminTaken =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final InProcessServer server;

    private BundledServer(InProcessServer server) {
        this.server = server;
    }

    /**
     * Starts the bundled server and returns once it listens.
     *
     * @throws BundledServerFailed with a sentence for a person when it cannot start
     */
    /**
     * Unpacks the installed image's start-up cache for the next start, in the background, when
     * the launcher named one (decisions/0009); the console calls it once its window is shown.
     */
    public static void refreshStartUpCache() {
        AotCache.fromLauncher().ifPresent(AotCache::refreshInBackground);
    }

    public static BundledServer start(Optional<Path> dataDir, int demoUsers, Map<String, String> env) {
        var args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1"));
        dataDir.ifPresent(dir -> args.addAll(List.of("--data-dir", dir.toString())));
        if (demoUsers > 0) {
            args.add("--demo=" + demoUsers);
        }
        try {
            InProcessServer server = InProcessServer.start(args, env);
            // the console stopped by a signal (logout, system shutdown) skips JavaFX's stop():
            // the database must still be shut down, not left running without its server
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bundled-server-stop"));
            return new BundledServer(server);
        } catch (InProcessServer.StartFailed e) {
            String text = e.getMessage() == null ? "it stopped without saying why" : e.getMessage();
            throw new BundledServerFailed(Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".");
        }
    }

    public URI baseUrl() {
        return URI.create(server.baseUrl() + "/");
    }

    public Path dataDir() {
        return server.dataDir();
    }

    /**
     * The first admin's e-mail and generated password, when this start created that account — once:
     * connecting to this server again (after Change server) does not show the password, nor sign in
     * with it.
     */
    public Optional<FirstAdmin> takeFirstAdmin() {
        if (firstAdminTaken.getAndSet(true)) {
            return Optional.empty();
        }
        return server.firstAdmin()
                .flatMap(admin -> admin.generatedPassword()
                        .map(password -> new FirstAdmin(
                                admin.email(), password, admin.passwordFile().map(Path::toString))));
    }

    /** The file holding the first admin's generated password, if it is there. */
    public Optional<Path> initialPasswordFile() {
        Path file = server.dataDir().resolve("initial-admin-password");
        return java.nio.file.Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** The first administrator created on this start. */
    public record FirstAdmin(String email, String password, Optional<String> passwordFile) {}

    @Override
    public void close() {
        server.close();
    }

    /** The bundled server could not be started; the message is for the person at the console. */
    public static final class BundledServerFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BundledServerFailed(String message) {
            super(message);
        }
    }
}
