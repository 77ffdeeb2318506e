package io.steward.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backup folder's file system fills up during a backup (a small tmpfs, mounted for the test):
 * the backup fails cleanly and says why, leaves no partial archive, and nothing else is affected;
 * once there is room again the next backup completes.
 */
class BackupDiskFullTest {
    Path folder;
    TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (folder != null) {
            run("umount", "-l", folder.toString());
        }
    }

    /** Runs a command as root: directly when the tests run as root, else through passwordless sudo. */
    private static void run(String... command) throws IOException, InterruptedException {
        var line = new java.util.ArrayList<>(List.of(command));
        if (!"root".equals(System.getProperty("user.name"))) {
            line.addAll(0, List.of("sudo", "-n"));
        }
        var process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
    }

    @Test
    void aFullDiskFailsTheBackupCleanlyAndNothingElse() throws Exception {
        folder = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "full-disk").toAbsolutePath()), "backups-");
        // 1 MB: less than the archive of 3 000 demo users with their history (about 1.5 MB)
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.toString());
        server = TestServer.startWith("backup_disk_full", "--backup-dir", folder.toString());
        TestDatabase.seedDemo(server.db, server.clock, 3_000);
        String admin = server.tokenFor(Role.ADMIN);

        JsonNode failed = backUpAndWait(admin);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).containsIgnoringCase("no space left");
        try (var left = Files.list(folder)) {
            assertThat(left.map(f -> f.getFileName().toString()))
                    .as("no partial archive left behind; the erasure ledger stays")
                    .containsExactly(io.steward.server.gdpr.ErasureLedger.FILE_NAME);
        }

        // nothing else is affected: the server is ready, reads and writes work
        assertThat(server.status("GET", "/health/ready", null, null)).isEqualTo(200);
        var user = Map.of("email", "after.full@academy.example", "name", "After Full", "role", "student");
        assertThat(server.status("POST", "/api/v1/users", admin, user)).isEqualTo(201);
        try (Response r = server.call("GET", "/api/v1/audit?type=backup.failed", admin, null)) {
            assertThat(server.json(r).get("items"))
                    .as("the failure is in the audit trail")
                    .hasSize(1);
        }

        // with room again, the next backup completes
        run("mount", "-o", "remount,size=64m", folder.toString());
        server.clock.advance(Duration.ofMinutes(1));
        JsonNode completed = backUpAndWait(admin);
        assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
    }

    private JsonNode backUpAndWait(String admin) throws Exception {
        String id;
        try (Response r = server.call("POST", "/api/v1/backups", admin, null)) {
            assertThat(r.code()).isEqualTo(202);
            id = server.json(r).get("id").asText();
        }
        server.server.backups().awaitIdle(Duration.ofSeconds(60));
        JsonNode[] last = new JsonNode[1];
        Conditions.await(Duration.ofSeconds(10), "backup " + id + " done", () -> {
            try (Response r = server.call("GET", "/api/v1/backups/" + id, admin, null)) {
                last[0] = server.json(r);
            }
            return !last[0].get("status").asText().equals("running");
        });
        return last[0];
    }
}
