package io.steward.console.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server that ships with the console, run as a child process on this computer: the console
 * talks to it over HTTP like to any other server. It is started with this JVM's java binary and
 * class path, on a free loopback port, and stopped (SIGTERM, then kill after 15 s) with the
 * console.
 */
public final class BundledServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BundledServer.class);
    private static final String MAIN_CLASS = "io.steward.server.Main";
    private static final Pattern LISTENING = Pattern.compile("Steward server listening on (https?://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final URI baseUrl;

    private BundledServer(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the bundled server and waits until it listens.
     *
     * @throws BundledServerFailed with the last lines it printed if it stops or does not get ready
     */
    public static BundledServer start(ConnectionTarget target) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command =
                new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), MAIN_CLASS, "--port", "0"));
        if (target.demoUsers() > 0) {
            command.add("--demo=" + target.demoUsers());
        }
        target.dataDir().ifPresent(dir -> command.addAll(List.of("--data-dir", dir.toString())));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BundledServerFailed("could not start the bundled server: " + e.getMessage());
        }
        // if the console is stopped without closing its window (SIGTERM, logout), stop the server too
        Process child = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "bundled-server-stop"));
        Deque<String> lastLines = new ArrayDeque<>();
        var listening = new CompletableFuture<URI>();
        Thread.ofVirtual().name("bundled-server-output").start(() -> drain(process, lastLines, listening));
        try {
            return new BundledServer(process, listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            LOG.warn("bundled server did not start; its last output: {}", tail(lastLines));
            throw new BundledServerFailed(reason(lastLines, e instanceof TimeoutException));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw new BundledServerFailed("interrupted while starting the bundled server");
        }
    }

    /** Reads the child's output to the end, so its pipe never fills, keeping the last lines. */
    private static void drain(Process process, Deque<String> lastLines, CompletableFuture<URI> listening) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("{")) {
                    // the server's own words for the person at the terminal (listening address, the
                    // first admin's generated password); its JSON log lines stay out of the way
                    System.out.println(line);
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            LOG.debug("bundled server output closed: {}", e.getMessage());
        }
        listening.completeExceptionally(new UncheckedIOException(new IOException("bundled server exited")));
    }

    /** The server's own one-line reason ("steward-server: …") if it gave one. */
    private static String reason(Deque<String> lines, boolean timedOut) {
        if (timedOut) {
            return "It did not get ready within " + START_TIMEOUT.toSeconds() + " seconds.";
        }
        synchronized (lines) {
            return lines.stream()
                    .filter(line -> line.startsWith("steward-server: "))
                    .reduce((first, second) -> second)
                    .map(line -> {
                        String text = line.substring("steward-server: ".length());
                        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
                    })
                    .orElse("It stopped before it was ready, without saying why.");
        }
    }

    private static String tail(Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "it printed nothing" : String.join(" | ", lines);
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("bundled server did not stop within 15 s; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The bundled server could not be started; the message is for the person at the console. */
    public static final class BundledServerFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BundledServerFailed(String message) {
            super(message);
        }
    }
}
