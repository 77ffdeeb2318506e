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

    /** What two starts in a fresh home said about the start-up cache. */
    record TwoStarts(boolean firstUsedCache, boolean secondUsedCache) {}

    /**
     * Starts the server in a fresh {@code home}, waits for it to unpack the start-up cache into
     * {@code ~/.cache/steward}, stops it and starts it again; each time asks {@code /api/v1/system}
     * whether the JVM runs with class sharing (in the image, only the start-up cache provides it).
     */
    static TwoStarts startTwice(Path launcher, Path home) throws Exception {
        long started = System.nanoTime();
        var first = startServer(launcher, home);
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        String[] admin = firstAdmin(first, home);
        String email = admin[0];
        String password = admin[1];
        boolean firstUsed = classSharing(system(first.url(), email, password));
        Path stamp = home.resolve(".cache/steward/steward-0.1.0.aot.source");
        await(() -> Files.isRegularFile(stamp), "the unpacked start-up cache");
        if (first.stop() != 0) {
            throw new AssertionError("the first start did not exit cleanly");
        }
        started = System.nanoTime();
        var second = startServer(launcher, home);
        long secondMillis = (System.nanoTime() - started) / 1_000_000;
        boolean secondUsed = classSharing(system(second.url(), email, password));
        if (second.stop() != 0) {
            throw new AssertionError("the second start did not exit cleanly");
        }
        System.out.printf(
                "%s listening after %d ms, then %d ms (one run each, not a benchmark)%n",
                launcher, firstMillis, secondMillis);
        return new TwoStarts(firstUsed, secondUsed);
    }

    private static boolean classSharing(String system) {
        if (system.contains("\"classSharing\":true")) {
            return true;
        }
        if (system.contains("\"classSharing\":false")) {
            return false;
        }
        throw new AssertionError("no runtime.classSharing in " + system);
    }

    /** Signs in and returns the body of {@code GET /api/v1/system}. */
    static String system(URI url, String email, String password) throws Exception {
        String token = signIn(url, email, password);
        return new String(call(url, "GET", "/api/v1/system", token).body(), StandardCharsets.UTF_8);
    }

    /** Signs in (Argon2 runs in the image) and returns the token. */
    static String signIn(URI url, String email, String password) throws Exception {
        String login = new String(
                call(
                                url,
                                "POST",
                                "/api/v1/auth/login",
                                null,
                                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                        .body(),
                StandardCharsets.UTF_8);
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(login);
        if (!token.find()) {
            throw new AssertionError("sign-in failed: " + login);
        }
        return token.group(1);
    }

    /** One call, with a JSON body when one is given; up to two minutes (a restore test takes a while). */
    static HttpResponse<byte[]> call(URI url, String method, String path, String token, String... jsonBody)
            throws Exception {
        try (var http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            var request = HttpRequest.newBuilder(url.resolve(path))
                    .timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            jsonBody.length == 0
                                    ? (method.equals("GET")
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString("{}"))
                                    : HttpRequest.BodyPublishers.ofString(jsonBody[0]));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** The first admin's e-mail and generated password, from a first start's output and data folder. */
    static String[] firstAdmin(RunningServer server, Path home) throws IOException {
        String email = server.output().stream()
                .filter(line -> line.startsWith("Created the first admin account: "))
                .map(line -> line.substring("Created the first admin account: ".length()))
                .findFirst()
                .orElseThrow();
        return new String[] {
            email, Files.readString(home.resolve("data/initial-admin-password")).trim()
        };
    }

    /** Waits up to a minute for {@code condition}. */
    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited a minute for " + what);
            }
            Thread.sleep(100);
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
