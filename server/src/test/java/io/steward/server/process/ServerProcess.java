package io.steward.server.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code steward-server} as a separate operating-system process, the way operators run it. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Steward server listening on (https?://\\S+)");

    final Process process;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> baseUrl = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (var reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    stdout.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        baseUrl.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                baseUrl.completeExceptionally(e);
            }
            baseUrl.completeExceptionally(new IllegalStateException("server exited before listening: " + stdout));
        });
    }

    static ServerProcess start(Path dataDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), dataDir, env, args);
    }

    /** Started the way a shell with {@code umask 000} would, so every file it makes is as open as asked for. */
    static ServerProcess startUnderOpenUmask(Path dataDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of("sh", "-c", "umask 000; exec \"$0\" \"$@\""), dataDir, env, args);
    }

    private static ServerProcess start(List<String> shell, Path dataDir, Map<String, String> env, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(shell);
        command.addAll(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.steward.server.Main",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .redirectError(dataDir.resolveSibling(dataDir.getFileName() + "-stderr.log")
                        .toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("STEWARD_"));
        builder.environment().putAll(env);
        return new ServerProcess(builder.start());
    }

    String awaitListening(Duration timeout) throws Exception {
        return baseUrl.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                terminate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
