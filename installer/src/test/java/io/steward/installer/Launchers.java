package io.steward.installer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the installed launchers the way a person would: a clean environment with no JDK on the
 * PATH and no JAVA_HOME, a home folder of its own.
 */
final class Launchers {
    private static final Pattern LISTENING = Pattern.compile("Steward server listening on (http://\\S+)");

    private Launchers() {}

    static Path image() {
        return Path.of(System.getProperty("steward.image", "target/image/steward"));
    }

    /** A process builder with nothing of the build's environment: no JDK anywhere. */
    static ProcessBuilder clean(Path home, List<String> command) {
        var builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        return builder;
    }

    /** Runs to the end (up to a minute) and returns its exit status and output. */
    static Result run(Path home, List<String> command) throws Exception {
        Process process = clean(home, command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish within a minute: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    record Result(int exitCode, String output) {}

    /** A server started from a launcher, up and listening. */
    record RunningServer(Process process, URI url, List<String> output) {
        int stop() throws InterruptedException {
            process.destroy(); // SIGTERM
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the server did not stop within 60 s of SIGTERM");
            }
            return process.exitValue();
        }
    }

    /** Starts {@code launcher --port 0 --data-dir <home>/data} and waits (up to 3 minutes) for its listening line. */
    static RunningServer startServer(Path launcher, Path home) throws Exception {
        Process process = clean(
                        home,
                        List.of(
                                launcher.toString(),
                                "--port",
                                "0",
                                "--data-dir",
                                home.resolve("data").toString()))
                .redirectError(home.resolve("server.log").toFile())
                .start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        var listening = new CompletableFuture<URI>();
        Thread.ofVirtual().start(() -> {
            try (var reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
                listening.completeExceptionally(new AssertionError("the server ended without listening: " + lines));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        });
        try {
            return new RunningServer(process, listening.get(3, TimeUnit.MINUTES), lines);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("no listening line; its log: " + tail(home.resolve("server.log")), e);
        }
    }

    static int status(URI url) throws Exception {
        try (var http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(
                            HttpRequest.newBuilder(url.resolve("/health/ready"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
