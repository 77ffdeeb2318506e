package io.steward.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The restore drill on a real PostgreSQL: the leader proves the newest backup on its schedule, the
 * drill's figures reach {@code /metrics} and the API, and with drills switched off the built-in
 * BackupNotProven alert fires once no backup has been proven for eight days.
 */
class RestoreDrillTest {

    @Test
    void theLeaderProvesTheNewestBackupOnScheduleAndItsFiguresReachTheMetrics() throws Exception {
        try (var server = TestServer.startWith("drills", "--restore-drill", "1h", "--backup-daily", "off")) {
            TestDatabase.seedDemo(server.db, server.clock, 300);
            String admin = server.tokenFor(Role.ADMIN);
            String auditor = server.tokenFor(Role.AUDITOR);
            Conditions.await(Duration.ofSeconds(60), "this instance leads", server.server::leads);

            JsonNode before = drill(server, auditor);
            assertThat(before.get("schedule").asText()).isEqualTo("1h");
            assertThat(before.get("lastDrill").isNull()).isTrue();
            assertThat(before.get("lastProvenAt").isNull()).isTrue();

            // nothing to prove yet: no drill, and none recorded
            server.server.dailyJobs();
            assertThat(restoreTests(server)).isZero();

            JsonNode backup = backUp(server, admin);
            server.server.dailyJobs();
            JsonNode first = drill(server, auditor);
            JsonNode last = first.get("lastDrill");
            assertThat(last.get("verified").asBoolean()).as(first.toString()).isTrue();
            assertThat(last.get("backupId").asText()).isEqualTo(backup.get("id").asText());
            assertThat(last.get("trigger").asText()).isEqualTo("drill");
            assertThat(last.get("durationMs").asLong()).isPositive();
            assertThat(Instant.parse(last.get("recoveryPoint").asText()))
                    .isEqualTo(Instant.parse(backup.get("createdAt").asText()));
            assertThat(first.get("unprovenDays").asDouble()).isLessThan(0.01);
            assertThat(Instant.parse(first.get("nextDueAt").asText()))
                    .isEqualTo(Instant.parse(last.get("startedAt").asText()).plus(Duration.ofHours(1)));
            assertThat(TestDatabase.strings(
                            server.db, "SELECT details->>'trigger' FROM audit_log WHERE action = 'backup.verified'"))
                    .containsExactly("drill");

            // within the hour: not again
            server.clock.advance(Duration.ofMinutes(30));
            server.server.dailyJobs();
            assertThat(restoreTests(server)).isEqualTo(1);
            // an hour on: again
            server.clock.advance(Duration.ofMinutes(31));
            server.server.dailyJobs();
            assertThat(restoreTests(server)).isEqualTo(2);

            String scrape = metrics(server, server.tokenFor(Role.ADMIN));
            Instant completed = Instant.parse(backup.get("completedAt").asText());
            assertThat(sample(scrape, "steward_backup_last_completed_timestamp_seconds"))
                    .as(drill(server, server.tokenFor(Role.AUDITOR)).toString())
                    .isEqualTo(completed.getEpochSecond());
            JsonNode second = drill(server, server.tokenFor(Role.AUDITOR));
            Instant proven = Instant.parse(second.get("lastProvenAt").asText());
            assertThat(sample(scrape, "steward_backup_last_verified_timestamp_seconds"))
                    .isEqualTo(proven.getEpochSecond());
            assertThat(sample(scrape, "steward_restore_drill_duration_seconds"))
                    .isEqualTo(second.at("/lastDrill/durationMs").asLong() / 1000.0);
        }
    }

    @Test
    void withDrillsSwitchedOffTheBackupNotProvenAlertFiresAfterEightDays() throws Exception {
        try (var server = TestServer.startWith("drills_off", "--restore-drill", "off", "--backup-daily", "off")) {
            TestDatabase.seedDemo(server.db, server.clock, 100);
            Conditions.await(Duration.ofSeconds(60), "this instance leads", server.server::leads);
            JsonNode backup = backUp(server, server.tokenFor(Role.ADMIN));
            try (Response r = server.call(
                    "POST",
                    "/api/v1/backups/" + backup.get("id").asText() + "/verify",
                    server.tokenFor(Role.ADMIN),
                    null)) {
                assertThat(r.code()).isEqualTo(200);
            }
            JsonNode status = drill(server, server.tokenFor(Role.ADMIN));
            assertThat(status.get("schedule").isNull()).isTrue();
            assertThat(status.get("nextDueAt").isNull()).isTrue();

            server.clock.advance(Duration.ofDays(7));
            server.server.dailyJobs();
            assertThat(restoreTests(server)).as("no drill while switched off").isEqualTo(1);
            assertThat(server.alertState("BackupNotProven")).isEqualTo("none");

            server.clock.advance(Duration.ofDays(2));
            Conditions.await(
                    Duration.ofSeconds(60),
                    "BackupNotProven firing",
                    () -> server.alertState("BackupNotProven").equals("firing"));
            assertThat(drill(server, server.tokenFor(Role.ADMIN))
                            .get("unprovenDays")
                            .asDouble())
                    .isGreaterThan(8.9);
        }
    }

    @Test
    void provingAnOlderBackupAgainDoesNotEndAStretchOfUnprovenBackups() throws Exception {
        try (var server = TestServer.startWith("drills_old", "--restore-drill", "off", "--backup-daily", "off")) {
            TestDatabase.seedDemo(server.db, server.clock, 100);
            Conditions.await(Duration.ofSeconds(60), "this instance leads", server.server::leads);
            String admin = server.tokenFor(Role.ADMIN);
            JsonNode old = backUp(server, admin);
            verify(server, admin, old);
            Instant firstProof =
                    Instant.parse(drill(server, admin).get("lastProvenAt").asText());

            server.clock.advance(Duration.ofDays(9));
            admin = server.tokenFor(Role.ADMIN);
            JsonNode newest = backUp(server, admin);
            Conditions.await(
                    Duration.ofSeconds(60),
                    "BackupNotProven firing",
                    () -> server.alertState("BackupNotProven").equals("firing"));

            // the old archive still restores, but that proves nothing about the newest one
            verify(server, admin, old);
            JsonNode status = drill(server, admin);
            assertThat(Instant.parse(status.get("lastProvenAt").asText())).isEqualTo(firstProof);
            assertThat(status.get("unprovenDays").asDouble()).isGreaterThan(8.9);

            verify(server, admin, newest);
            assertThat(drill(server, admin).get("unprovenDays").asDouble()).isLessThan(0.01);
            Conditions.await(
                    Duration.ofSeconds(60),
                    "BackupNotProven resolved",
                    () -> !server.alertState("BackupNotProven").equals("firing"));

            // and the history behind that figure cannot be rewritten
            for (String change : java.util.List.of(
                    "DELETE FROM restore_tests",
                    "UPDATE restore_tests SET started_at = now()",
                    "TRUNCATE restore_tests")) {
                assertThatThrownBy(() -> server.db.inTransaction(tx -> {
                            try (var statement = tx.connection().createStatement()) {
                                return statement.executeUpdate(change);
                            }
                        }))
                        .as("the server's role: " + change)
                        .hasStackTraceContaining("permission denied for table restore_tests");
                assertThatThrownBy(() -> TestDatabase.asOwner(server.db, change))
                        .as("the owner: " + change)
                        .hasStackTraceContaining("restore_tests is append-only");
            }
            assertThat(restoreTests(server)).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------------------------------

    static void verify(TestServer server, String admin, JsonNode backup) {
        try (Response r =
                server.call("POST", "/api/v1/backups/" + backup.get("id").asText() + "/verify", admin, null)) {
            JsonNode body = server.json(r);
            assertThat(r.code()).as(body.toString()).isEqualTo(200);
            assertThat(body.get("verified").asBoolean()).as(body.toString()).isTrue();
        }
    }

    static JsonNode drill(TestServer server, String token) {
        try (Response r = server.call("GET", "/api/v1/backups/drill", token, null)) {
            JsonNode body = server.json(r);
            assertThat(r.code()).as(body.toString()).isEqualTo(200);
            return body;
        }
    }

    static JsonNode backUp(TestServer server, String admin) throws Exception {
        String id;
        try (Response r = server.call("POST", "/api/v1/backups", admin, null)) {
            assertThat(r.code()).isEqualTo(202);
            id = server.json(r).get("id").asText();
        }
        server.server.backups().awaitIdle(Duration.ofSeconds(120));
        try (Response r = server.call("GET", "/api/v1/backups/" + id, admin, null)) {
            JsonNode done = server.json(r);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
            return done;
        }
    }

    static long restoreTests(TestServer server) {
        return Long.parseLong(TestDatabase.strings(server.db, "SELECT count(*) FROM restore_tests")
                .getFirst());
    }

    static String metrics(TestServer server, String token) throws Exception {
        try (Response r = server.call("GET", "/metrics", token, null)) {
            assertThat(r.code()).isEqualTo(200);
            return r.body().string();
        }
    }

    static double sample(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in /metrics:\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
