package io.steward.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's steward-server launcher, with no JDK anywhere near it. */
class InstalledServerIT {
    @TempDir
    Path home;

    private final Path launcher = Launchers.image().resolve("bin/steward-server");

    @Test
    void versionAndHelpPrintAndExitZero() throws Exception {
        var version = Launchers.run(home, List.of(launcher.toString(), "--version"));
        assertThat(version.exitCode()).isZero();
        assertThat(version.output()).startsWith("steward-server 0.1.0");

        var help = Launchers.run(home, List.of(launcher.toString(), "--help"));
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--data-dir DIR", "--version", "STEWARD_ADMIN_PASSWORD");
    }

    @Test
    void startsWithItsEmbeddedDatabaseAnswersAndStopsCleanlyOnSigterm() throws Exception {
        var server = Launchers.startServer(launcher, home);
        assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(Launchers.status(server.url())).isEqualTo(200);
        assertThat(server.output()).anyMatch(line -> line.startsWith("Created the first admin account: "));

        assertThat(server.stop()).as("exit status after SIGTERM").isZero();
        assertThat(Launchers.tail(home.resolve("server.log"))).contains("embedded PostgreSQL stopped");
    }

    @Test
    void theFirstStartUnpacksTheStartUpCacheAndTheNextStartUsesIt() throws Exception {
        assertThat(Launchers.image().resolve("lib/app/steward.aot.xz"))
                .as("the packed start-up cache trained at build time")
                .isRegularFile();
        var starts = Launchers.startTwice(launcher, home);
        assertThat(starts.firstUsedCache())
                .as("the first start has no cache to use")
                .isFalse();
        assertThat(starts.secondUsedCache())
                .as("the second start maps the cache the first one unpacked")
                .isTrue();
    }
}
