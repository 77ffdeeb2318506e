package io.steward.server;

import io.steward.server.backup.RestoreCommand;
import io.steward.server.embed.AotCache;
import io.steward.server.embed.InProcessServer;
import io.steward.server.reports.EvidencePackVerifier;
import io.steward.server.system.SystemRoutes;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * {@code steward-server}: starts the database (embedded unless {@code --db-url}), migrates it,
 * creates the first admin, seeds demo data when asked, serves HTTP, and on SIGTERM drains
 * requests, stops the database cleanly and exits 0.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // no display for a server; the PDF library only needs AWT's colour classes (decisions/0010)
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        PrintStream out = System.out;
        if (args.length > 0 && args[0].equals("restore")) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
            System.exit(
                    RestoreCommand.run(Arrays.asList(args).subList(1, args.length), System.getenv(), out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals("verify-evidence")) {
            System.exit(EvidencePackVerifier.run(Arrays.asList(args).subList(1, args.length), out, System.err));
            return;
        }
        if (Arrays.asList(args).contains("--help")) {
            out.print(ServerConfig.USAGE);
            return;
        }
        if (Arrays.asList(args).contains("--version")) {
            out.println("steward-server " + SystemRoutes.version());
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
        var stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C are a normal way to stop: exit 0 after the shutdown hook has run
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> System.exit(0));
        }
        // registered before starting: a SIGTERM during start-up (say, while seeding) stops what has started
        InProcessServer server = InProcessServer.prepare(config);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "steward-shutdown"));
        try {
            server.start(System.getenv());
        } catch (InProcessServer.StartFailed e) {
            System.err.println("steward-server: " + e.getMessage());
            System.exit(e.badConfiguration() ? 2 : 1);
            return;
        }
        server.firstAdmin()
                .ifPresent(admin -> admin.generatedPassword().ifPresent(password -> {
                    out.println("Created the first admin account: " + admin.email());
                    out.println("Its password (shown once, also in "
                            + admin.passwordFile().map(Object::toString).orElse("no file: it could not be written")
                            + "): "
                            + password);
                }));
        out.println("Steward server listening on " + server.baseUrl());
        out.flush();
        AotCache.fromLauncher().ifPresent(AotCache::refreshInBackground);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
