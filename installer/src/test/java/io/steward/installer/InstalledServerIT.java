package io.steward.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

    @Test
    void makesReportsAsPdfAndProvesABackupByRestoringIt() throws Exception {
        var server = Launchers.startServer(launcher, home);
        try {
            String[] admin = Launchers.firstAdmin(server, home);
            String token = Launchers.signIn(server.url(), admin[0], admin[1]);
            var pdf = Launchers.call(server.url(), "GET", "/api/v1/reports/soc2?format=pdf", token);
            assertThat(pdf.statusCode())
                    .as(new String(pdf.body(), StandardCharsets.UTF_8))
                    .isEqualTo(200);
            assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
            assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

            var started = Launchers.call(server.url(), "POST", "/api/v1/backups", token);
            assertThat(started.statusCode()).isEqualTo(202);
            String id = field(started.body(), "id");
            Launchers.await(
                    () -> {
                        try {
                            var backup = Launchers.call(server.url(), "GET", "/api/v1/backups/" + id, token);
                            return !field(backup.body(), "status").equals("running");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "the backup");
            var backup = Launchers.call(server.url(), "GET", "/api/v1/backups/" + id, token);
            assertThat(field(backup.body(), "status")).isEqualTo("completed");
            var verified = Launchers.call(server.url(), "POST", "/api/v1/backups/" + id + "/verify", token);
            assertThat(new String(verified.body(), StandardCharsets.UTF_8)).contains("\"verified\":true");
        } finally {
            assertThat(server.stop()).isZero();
        }
    }

    private static String field(byte[] json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"")
                .matcher(new String(json, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + new String(json, StandardCharsets.UTF_8));
        }
        return m.group(1);
    }
}
