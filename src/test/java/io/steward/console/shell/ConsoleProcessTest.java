package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console as a process of its own: stopped by a signal, it still stops the database it started. */
class ConsoleProcessTest {
    @TempDir
    Path folder;

    @Test
    void sigtermStopsTheBundledServersDatabaseToo() throws Exception {
        Path log = folder.resolve("console.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process console = new ProcessBuilder(List.of(
                        java.toString(),
                        "-Dglass.platform=Headless",
                        "-Dprism.order=sw",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.steward.console.Main",
                        "--data-dir",
                        folder.resolve("data").toString(),
                        "--config-dir",
                        folder.resolve("config").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.readString(log).contains("first live dashboard")) {
                assertThat(console.isAlive()).as("the console is running").isTrue();
                assertThat(System.nanoTime())
                        .as("the dashboard within 3 minutes")
                        .isLessThan(deadline);
                console.waitFor(100, TimeUnit.MILLISECONDS);
            }
            Path pid = folder.resolve("data/pg/postmaster.pid");
            assertThat(pid).exists();
            long postmaster = Long.parseLong(Files.readAllLines(pid).getFirst().strip());

            console.destroy(); // SIGTERM
            assertThat(console.waitFor(60, TimeUnit.SECONDS)).isTrue();

            // pg_ctl has asked it to stop; it may take a moment to be gone from the process table
            ProcessHandle.of(postmaster)
                    .ifPresent(handle -> handle.onExit()
                            .completeOnTimeout(handle, 15, TimeUnit.SECONDS)
                            .join());
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                    .as("PostgreSQL stopped with the console")
                    .isFalse();
            assertThat(Files.readString(log)).contains("embedded PostgreSQL stopped");
        } finally {
            console.destroyForcibly();
        }
    }
}
