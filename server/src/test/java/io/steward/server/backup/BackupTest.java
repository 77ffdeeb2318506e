package io.steward.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.http.Json;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups on a real PostgreSQL with demo data: written through COPY, listed, proven by a restore
 * into a scratch database, caught when damaged, restored for real by the command, pruned, and
 * started by the daily schedule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupTest {
    static TestServer server;
    static String admin;
    static String auditor;
    static Path directory;

    @BeforeAll
    static void start() throws IOException {
        deleteTree(Path.of("target", "data", "backups"));
        deleteTree(Path.of("target", "data", "backups_stopped"));
        server = TestServer.startWith("backups", "--backup-keep", "2");
        directory = server.server.backups().settings().directory();
        TestDatabase.seedDemo(server.db, server.clock, 2_000);
        admin = server.tokenFor(Role.ADMIN);
        auditor = server.tokenFor(Role.AUDITOR);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void aBackupHoldsEveryTableWithItsRowCountsAndChecksums() throws Exception {
        JsonNode backup = backUp();
        assertThat(backup.get("status").asText()).isEqualTo("completed");
        assertThat(backup.get("trigger").asText()).isEqualTo("manual");
        Path file = directory.resolve(backup.get("fileName").asText());
        assertThat(file).exists();
        assertThat(backup.get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(backup.get("checksum").asText()).isEqualTo(BackupArchive.sha256(file));
        assertThat(backup.get("durationMs").asLong()).isNotNegative();
        var rows = new LinkedHashMap<String, Long>();
        backup.get("contents")
                .forEach(t -> rows.put(t.get("name").asText(), t.get("rows").asLong()));
        assertThat(rows).doesNotContainKey("flyway_schema_history");
        assertThat(rows.keySet()).contains("users", "enrollments", "audit_log", "backups", "alert_rules");
        assertThat(backup.get("tables").asInt()).isEqualTo(rows.size());
        for (String table : List.of("users", "enrollments", "communications")) {
            assertThat(rows.get(table))
                    .as(table)
                    .isEqualTo(count(server.db, table))
                    .isPositive();
        }
        // the snapshot was taken before "backup.completed" was appended
        assertThat(rows.get("audit_log")).isEqualTo(count(server.db, "audit_log") - 1);
        // parents come before the tables that reference them
        var order = new ArrayList<>(rows.keySet());
        assertThat(order.indexOf("users")).isLessThan(order.indexOf("enrollments"));
        assertThat(order.indexOf("programs")).isLessThan(order.indexOf("enrollments"));
        // no temporary file is left beside it
        try (var files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        // the admin may prove it by a restore test; the auditor may look, not act
        assertThat(backup.get("actions").toString()).isEqualTo("[\"verify\"]");
        try (Response r =
                server.call("GET", "/api/v1/backups/" + backup.get("id").asText(), auditor, null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(server.json(r).get("actions").toString()).isEqualTo("[]");
        }
        try (Response r = server.call("GET", "/api/v1/backups", admin, null)) {
            JsonNode first = server.json(r).get("items").get(0);
            assertThat(first.get("id").asText()).isEqualTo(backup.get("id").asText());
            assertThat(first.get("actions").toString()).isEqualTo("[\"verify\"]");
        }
        try (Response r = server.call("POST", "/api/v1/backups", auditor, null)) {
            assertThat(r.code()).isEqualTo(403);
        }
        assertThat(auditActions()).contains("backup.started", "backup.completed");
    }

    @Test
    @Order(2)
    void verifyRestoresIntoAScratchDatabaseAndPasses() throws Exception {
        JsonNode backup = backUp();
        String id = backup.get("id").asText();
        JsonNode verdict = verify(id);
        assertThat(verdict.get("verified").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("reason").isNull()).isTrue();
        assertThat(verdict.get("tables")).hasSize(backup.get("tables").asInt());
        verdict.get("tables").forEach(t -> {
            assertThat(t.get("rows").asLong())
                    .as(t.toString())
                    .isEqualTo(t.get("expectedRows").asLong());
            assertThat(t.get("checksumMatches").asBoolean()).as(t.toString()).isTrue();
        });
        JsonNode after = get(id);
        assertThat(after.get("verified").asBoolean()).isTrue();
        assertThat(after.get("verifiedAt").isNull()).isFalse();
        // the scratch database is gone
        assertThat(scratchDatabases()).isEmpty();
        assertThat(auditActions()).contains("backup.verified");
    }

    @Test
    @Order(3)
    void aFlippedByteFailsVerificationWithTheReason() throws Exception {
        JsonNode backup = backUp();
        Path file = directory.resolve(backup.get("fileName").asText());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(file, bytes);
        JsonNode verdict = verify(backup.get("id").asText());
        assertThat(verdict.get("verified").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText())
                .contains("changed since it was written")
                .containsPattern("table \\w+ (is damaged|does not match)");
        JsonNode after = get(backup.get("id").asText());
        assertThat(after.get("verified").asBoolean()).isFalse();
        assertThat(after.get("verifyReason").asText())
                .isEqualTo(verdict.get("reason").asText());
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    @Order(4)
    void aBackupCutShortIsNotAcceptedAndAStoppedServerLeavesNoArchive() throws Exception {
        JsonNode backup = backUp();
        Path file = directory.resolve(backup.get("fileName").asText());
        // what a crash half-way through writing would leave, had it been written in place
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        JsonNode verdict = verify(backup.get("id").asText());
        assertThat(verdict.get("verified").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).contains("changed since it was written");

        // a server stopped in the middle of a backup: its row is failed, its partial file gone
        try (var other = TestServer.startWith("backups_stopped")) {
            TestDatabase.seedDemo(other.db, other.clock, 20_000);
            Path otherDirectory = other.server.backups().settings().directory();
            String token = other.tokenFor(Role.ADMIN);
            String id;
            try (Response r = other.call("POST", "/api/v1/backups", token, null)) {
                assertThat(r.code()).isEqualTo(202);
                id = other.json(r).get("id").asText();
            }
            other.server.backups().close();
            try (Response r = other.call("GET", "/api/v1/backups/" + id, token, null)) {
                JsonNode stopped = other.json(r);
                assertThat(stopped.get("status").asText())
                        .as(stopped.toString())
                        .isEqualTo("failed");
                assertThat(stopped.get("error").asText()).contains("server stopped");
            }
            try (var files = Files.list(otherDirectory)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("no archive, finished or partial; the erasure ledger stays")
                        .containsExactly(io.steward.server.gdpr.ErasureLedger.FILE_NAME);
            }
        }
    }

    @Test
    @Order(5)
    void aStartAfterACrashMarksTheRunningBackupFailedAndRemovesItsPartialFile() throws Exception {
        UUID id = UUID.randomUUID();
        server.db.inTransaction(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement("INSERT INTO backups (id, status, created_at) VALUES (?, 'running', now())")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return null;
        });
        Path partial = directory.resolve(".steward-backup-crashed.zip" + BackupService.PARTIAL_SUFFIX);
        Files.write(partial, new byte[1024]);
        server.server.backups().recoverInterrupted();
        assertThat(partial).doesNotExist();
        JsonNode crashed = get(id.toString());
        assertThat(crashed.get("status").asText()).isEqualTo("failed");
        try (Response r = server.call("POST", "/api/v1/backups/" + id + "/verify", admin, null)) {
            assertThat(r.code()).isEqualTo(409);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("CONFLICT");
        }
    }

    @Test
    @Order(6)
    void theRestoreCommandFillsAnEmptyDatabaseWithTheSameRowsAndChecksums() throws Exception {
        JsonNode backup = backUp();
        Path file = directory.resolve(backup.get("fileName").asText());
        String target = TestDatabase.createEmpty("restored");
        var result = restore(file, target);
        assertThat(result.code()).as(result.output()).isZero();
        assertThat(result.output()).contains("Restored. Schema now at version");
        try (Database restored = TestDatabase.open(target);
                var archive = new BackupArchive.Reader(file, keyFile())) {
            for (var check : Restorer.compare(restored.dataSource().getConnection(), archive.manifest())) {
                if (check.name().equals("audit_log")) {
                    // the restore itself is recorded
                    assertThat(check.rows()).isEqualTo(check.expectedRows() + 1);
                } else if (check.name().equals("backups")) {
                    // the backup the archive holds is now recorded as completed (below)
                    assertThat(check.rows()).isEqualTo(check.expectedRows());
                } else {
                    assertThat(check.rows()).as(check.name()).isEqualTo(check.expectedRows());
                    assertThat(check.checksumMatches()).as(check.name()).isTrue();
                }
            }
            assertThat(count(restored, "users")).isEqualTo(count(server.db, "users"));
            // new rows get new ids after the restored ones
            restored.inTransaction(tx -> {
                try (var s = tx.connection().createStatement()) {
                    s.execute("INSERT INTO login_attempts (email, ip_address, at, success)"
                            + " VALUES ('x@example.org', '127.0.0.1', now(), false)");
                }
                return null;
            });
            // the restored trail is intact and says where its data came from
            assertThat(auditActions(restored)).contains("backup.restored");
            assertThat(new AuditService(restored, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC())
                            .verify()
                            .valid())
                    .isTrue();
            // and the backup it holds, running when the snapshot was taken, is the completed one it is
            String recorded = restored.read(tx -> {
                try (var ps = tx.connection()
                        .prepareStatement("SELECT status || ' ' || checksum FROM backups WHERE id = ?")) {
                    ps.setObject(1, UUID.fromString(backup.get("id").asText()));
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertThat(recorded).isEqualTo("completed " + backup.get("checksum").asText());
        }
        // a database with data in it is refused, unless forced
        var refused = restore(file, target);
        assertThat(refused.code()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(refused.output()).contains("not empty");
        var forced = restore(file, target, "--force");
        assertThat(forced.code()).as(forced.output()).isZero();
        try (Database restored = TestDatabase.open(target)) {
            assertThat(count(restored, "users")).isEqualTo(count(server.db, "users"));
        }
        // and a damaged archive is refused before anything is written
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = Files.write(file.resolveSibling("damaged.zip"), bytes);
        String empty = TestDatabase.createEmpty("restored_damaged");
        var failed = restore(damaged, empty);
        assertThat(failed.code()).as(failed.output()).isEqualTo(RestoreCommand.FAILED);
        assertThat(failed.output()).containsPattern("damaged|does not match");
        Files.delete(damaged);
    }

    @Test
    @Order(7)
    void anArchiveNeedsTheKeyItWasMadeWithAndTheOlderUnencryptedFormatStillRestoresWithAWarning() throws Exception {
        JsonNode backup = backUp();
        Path file = directory.resolve(backup.get("fileName").asText());
        String made = BackupKey.load(keyFile()).id();

        Path missing = directory.resolveSibling("no-such-backup-key");
        var refused = restoreWith(missing, file, TestDatabase.createEmpty("restored_no_key"));
        assertThat(refused.code()).as(refused.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(refused.output())
                .contains("encrypted with backup key " + made)
                .contains(missing + " does not exist")
                .contains("--backup-key-file");

        Path other = directory.resolveSibling("another-backup-key");
        Files.deleteIfExists(other);
        String otherId = BackupKey.loadOrCreate(other).id();
        String target = TestDatabase.createEmpty("restored_wrong_key");
        var wrong = restoreWith(other, file, target);
        assertThat(wrong.code()).as(wrong.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(wrong.output())
                .contains("encrypted with backup key " + made + ", not with the key in " + other + " (" + otherId + ")")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        try (Database untouched = TestDatabase.open(target)) {
            assertThat(count(untouched, "users")).as("nothing was restored").isZero();
        }

        // a key file someone else could have written is not used
        Path exposed = directory.resolveSibling("exposed-backup-key");
        Files.copy(keyFile(), exposed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(exposed, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        var writable = restoreWith(exposed, file, target);
        assertThat(writable.code()).as(writable.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(writable.output())
                .contains("the backup key file " + exposed + " is not safe: " + exposed
                        + " can be written by every user (mode rw-rw-rw-)")
                .doesNotContain("Exception");
        Files.setPosixFilePermissions(exposed, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setOwner(
                exposed, exposed.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        var foreign = restoreWith(exposed, file, target);
        assertThat(foreign.code()).as(foreign.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(foreign.output()).contains("is not safe: " + exposed + " belongs to user id");
        Files.delete(exposed);
        try (Database untouched = TestDatabase.open(target)) {
            assertThat(count(untouched, "users")).as("nothing was restored").isZero();
        }

        // the restore test says the same when the server's key is not the archive's
        byte[] ours = Files.readAllBytes(keyFile());
        Files.write(keyFile(), Files.readAllBytes(other));
        try {
            JsonNode verdict = verify(backup.get("id").asText());
            assertThat(verdict.get("verified").asBoolean()).isFalse();
            assertThat(verdict.get("reason").asText())
                    .contains("encrypted with backup key " + made + ", not with the key in " + keyFile() + " ("
                            + otherId + ")");
        } finally {
            Files.write(keyFile(), ours);
        }
        assertThat(verify(backup.get("id").asText()).get("verified").asBoolean())
                .isTrue();

        // the same data in the format written before archives were encrypted
        Path legacy = directory.resolve("legacy-" + file.getFileName());
        writeLegacy(file, legacy, table -> true);
        String legacyTarget = TestDatabase.createEmpty("restored_legacy");
        var unasked = restoreWith(missing, legacy, legacyTarget);
        assertThat(unasked.code()).as(unasked.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(unasked.output())
                .contains("older unencrypted format steward-backup/1")
                .contains("--allow-unencrypted");
        var restored = restoreWith(missing, legacy, legacyTarget, "--allow-unencrypted");
        assertThat(restored.code()).as(restored.output()).isZero();
        assertThat(restored.output())
                .contains("warning: the archive is in the older unencrypted format steward-backup/1")
                .contains("Restored.");
        Files.delete(legacy);

        // the same data in the encrypted format written before entries were compressed with LZ4
        Path deflated = directory.resolve("deflated-" + file.getFileName());
        rewrite(file, deflated, BackupArchive.DEFLATE_FORMAT, table -> true);
        String deflatedTarget = TestDatabase.createEmpty("restored_deflated");
        var older = restoreWith(keyFile(), deflated, deflatedTarget);
        assertThat(older.code()).as(older.output()).isZero();
        assertThat(older.output()).contains("Restored.").doesNotContain("warning");
        try (Database restoredDb = TestDatabase.open(deflatedTarget);
                var archive = new BackupArchive.Reader(file, keyFile())) {
            for (var check : Restorer.compare(restoredDb.dataSource().getConnection(), archive.manifest())) {
                if (!check.name().equals("audit_log") && !check.name().equals("backups")) {
                    assertThat(check.checksumMatches()).as(check.name()).isTrue();
                }
            }
        }
        Files.delete(deflated);

        // an unencrypted archive whose manifest leaves tables out restores nothing
        Path partial = directory.resolve("partial-" + file.getFileName());
        writeLegacy(file, partial, table -> !table.name().equals("users"));
        String partialTarget = TestDatabase.createEmpty("restored_partial");
        var cut = restoreWith(missing, partial, partialTarget, "--allow-unencrypted");
        assertThat(cut.code()).as(cut.output()).isNotZero();
        assertThat(cut.output())
                .contains("the archive has no data for table users")
                .doesNotContain("Restored.");
        writeLegacy(file, partial, table -> false);
        var none = restoreWith(missing, partial, partialTarget, "--allow-unencrypted", "--force");
        assertThat(none.code()).as(none.output()).isNotZero();
        assertThat(none.output())
                .contains("the archive has no data for tables ")
                .doesNotContain("Restored.");
        Files.delete(partial);
        Files.delete(other);
    }

    /** Rewrites {@code archive} the way backups were written before encryption: a plain zip. */
    static void writeLegacy(Path archive, Path legacy, java.util.function.Predicate<BackupArchive.TableData> keep)
            throws IOException {
        rewrite(archive, legacy, BackupArchive.LEGACY_FORMAT, keep);
    }

    /**
     * Rewrites {@code archive} in an older {@code format}: {@link BackupArchive#LEGACY_FORMAT} (a
     * plain zip) or {@link BackupArchive#DEFLATE_FORMAT} (encrypted, each entry one raw deflate
     * stream), keeping the tables {@code keep} accepts.
     */
    static void rewrite(
            Path archive, Path target, String format, java.util.function.Predicate<BackupArchive.TableData> keep)
            throws IOException {
        Files.deleteIfExists(target);
        boolean encrypted = !format.equals(BackupArchive.LEGACY_FORMAT);
        BackupKey key = BackupKey.load(keyFile());
        try (var reader = new BackupArchive.Reader(archive, keyFile());
                var zip = new ZipOutputStream(Files.newOutputStream(target))) {
            var manifest = reader.manifest();
            if (encrypted) {
                zip.putNextEntry(new ZipEntry(BackupArchive.HEADER));
                zip.write(Json.mapper()
                        .writeValueAsBytes(
                                new BackupArchive.Header(format, manifest.backupId(), BackupKey.CIPHER, key.id())));
                zip.closeEntry();
            }
            var tables = manifest.tables().stream().filter(keep).toList();
            var old = new BackupArchive.Manifest(
                    format,
                    manifest.backupId(),
                    manifest.createdAt(),
                    manifest.schemaVersion(),
                    manifest.serverVersion(),
                    manifest.postgresVersion(),
                    tables,
                    manifest.erasureLedger());
            var entries = new LinkedHashMap<String, byte[]>();
            for (var table : tables) {
                try (var in = reader.open(table)) {
                    entries.put(BackupArchive.tableEntry(table.name()), in.readAllBytes());
                }
            }
            entries.put(BackupArchive.MANIFEST, Json.mapper().writeValueAsBytes(old));
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                if (encrypted) {
                    try (var deflated = new java.util.zip.DeflaterOutputStream(
                            key.encrypt(
                                    BackupArchive.nonClosing(zip),
                                    BackupArchive.associatedData(format, manifest.backupId(), entry.getKey())),
                            new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true))) {
                        deflated.write(entry.getValue());
                    }
                } else {
                    zip.write(entry.getValue());
                }
                zip.closeEntry();
            }
        }
    }

    @Test
    @Order(8)
    void onlyTheNewestArchivesAreKeptAndTheDailyScheduleStartsOneWhenTheLastIsADayOld() throws Exception {
        // keep = 2: of all the completed backups so far only the two newest still have files
        var completed = new ArrayList<JsonNode>();
        try (Response r = server.call("GET", "/api/v1/backups?limit=100", admin, null)) {
            server.json(r).get("items").forEach(b -> {
                if (b.get("status").asText().equals("completed")) {
                    completed.add(b);
                }
            });
        }
        assertThat(completed).hasSizeGreaterThan(2);
        for (int i = 0; i < completed.size(); i++) {
            JsonNode b = completed.get(i);
            Path file = directory.resolve(b.get("fileName").asText());
            if (i < 2) {
                assertThat(b.get("prunedAt").isNull()).isTrue();
                assertThat(file).exists();
            } else {
                assertThat(b.get("prunedAt").isNull()).as(b.toString()).isFalse();
                assertThat(file).doesNotExist();
                // its archive is gone: nothing left to prove
                assertThat(b.get("actions").toString()).isEqualTo("[]");
            }
        }
        try (Response r = server.call(
                "POST", "/api/v1/backups/" + completed.getLast().get("id").asText() + "/verify", admin, null)) {
            assertThat(r.code()).isEqualTo(409);
        }

        // the newest backup is minutes old: nothing to do
        int before = list().size();
        server.server.backups().runScheduled();
        server.server.backups().awaitIdle(Duration.ofSeconds(60));
        assertThat(list()).hasSize(before);
        server.clock.advance(Duration.ofHours(25));
        admin = server.tokenFor(Role.ADMIN); // the old session expired meanwhile
        server.server.backups().runScheduled();
        server.server.backups().awaitIdle(Duration.ofSeconds(60));
        JsonNode newest = list().getFirst();
        assertThat(newest.get("trigger").asText()).isEqualTo("scheduled");
        assertThat(newest.get("status").asText()).isEqualTo("completed");
        assertThat(newest.get("createdBy").isNull()).isTrue();
        assertThat(list()).hasSize(before + 1);
    }

    @Test
    @Order(7)
    void anOpenedArchiveIsHashedAndReadThroughOneFileEvenWhenItsNameIsPointedElsewhere() throws Exception {
        JsonNode backup = backUp();
        Path file = directory.resolve(backup.get("fileName").asText());
        Path impostor = directory.resolve("impostor.zip");
        Files.write(impostor, "not the archive".getBytes(StandardCharsets.UTF_8));
        try (var reader = new BackupArchive.Reader(file, keyFile())) {
            // swapped in right after it was opened
            Path original = directory.resolve("original.zip");
            Files.move(file, original);
            Files.move(impostor, file);
            assertThat(reader.sha256()).isEqualTo(backup.get("checksum").asText());
            for (var table : reader.manifest().tables()) {
                try (var data = reader.open(table)) {
                    data.verify();
                }
            }
            Files.move(file, impostor);
            Files.move(original, file);
        } finally {
            Files.deleteIfExists(impostor);
        }
    }

    @Test
    @Order(9)
    void unknownAndMalformedIdsAnswer404And400() {
        try (Response r = server.call("GET", "/api/v1/backups/" + UUID.randomUUID(), admin, null)) {
            assertThat(r.code()).isEqualTo(404);
        }
        try (Response r = server.call("POST", "/api/v1/backups/" + UUID.randomUUID() + "/verify", admin, null)) {
            assertThat(r.code()).isEqualTo(404);
        }
        try (Response r = server.call("GET", "/api/v1/backups/not-a-uuid", admin, null)) {
            assertThat(r.code()).isEqualTo(400);
        }
        try (Response r = server.call("GET", "/api/v1/backups?limit=0", admin, null)) {
            assertThat(r.code()).isEqualTo(400);
        }
    }

    // ------------------------------------------------------------------------------------------

    static List<JsonNode> list() {
        var items = new ArrayList<JsonNode>();
        try (Response r = server.call("GET", "/api/v1/backups?limit=500", admin, null)) {
            server.json(r).get("items").forEach(items::add);
        }
        return items;
    }

    static JsonNode backUp() throws Exception {
        // the test clock stands still; backups a minute apart have an order
        server.clock.advance(Duration.ofMinutes(1));
        String id;
        try (Response r = server.call("POST", "/api/v1/backups", admin, null)) {
            JsonNode started = server.json(r);
            assertThat(r.code()).as(started.toString()).isEqualTo(202);
            assertThat(started.get("status").asText()).isEqualTo("running");
            // nothing to prove while it is being written
            assertThat(started.get("actions").toString()).isEqualTo("[]");
            id = started.get("id").asText();
        }
        server.server.backups().awaitIdle(Duration.ofSeconds(60));
        Conditions.await(
                Duration.ofSeconds(10),
                "backup " + id + " done",
                () -> !get(id).get("status").asText().equals("running"));
        JsonNode done = get(id);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        return done;
    }

    static JsonNode get(String id) {
        try (Response r = server.call("GET", "/api/v1/backups/" + id, admin, null)) {
            assertThat(r.code()).isEqualTo(200);
            return server.json(r);
        }
    }

    static JsonNode verify(String id) {
        try (Response r = server.call("POST", "/api/v1/backups/" + id + "/verify", admin, null)) {
            JsonNode verdict = server.json(r);
            assertThat(r.code()).as(verdict.toString()).isEqualTo(200);
            return verdict;
        }
    }

    record Run(int code, String output) {}

    static Run restore(Path archive, String database, String... extra) {
        return restoreWith(keyFile(), archive, database, extra);
    }

    /** {@code steward-server restore}'s arguments for {@code archive} into a test database. */
    static List<String> restoreArguments(Path archive, String database, Path key) {
        return new ArrayList<>(List.of(
                archive.toString(),
                "--db-url",
                TestDatabase.jdbcUrl(database),
                "--db-user",
                io.steward.server.db.DatabaseRoles.OWNER,
                "--db-password",
                TestDatabase.ROLE_PASSWORD,
                "--backup-key-file",
                key.toString()));
    }

    static Run restoreWith(Path key, Path archive, String database, String... extra) {
        var out = new ByteArrayOutputStream();
        var print = new PrintStream(out, true, StandardCharsets.UTF_8);
        var args = restoreArguments(archive, database, key);
        args.addAll(List.of(extra));
        int code = RestoreCommand.run(args, Map.of(), print, print);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    static Path keyFile() {
        return server.server.backups().settings().keyFile();
    }

    static long count(Database db, String table) {
        return db.read(tx -> {
            try (var s = tx.connection().createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static List<String> auditActions() {
        return auditActions(server.db);
    }

    static List<String> auditActions(Database db) {
        return db.read(tx -> {
            var actions = new ArrayList<String>();
            try (var s = tx.connection().createStatement();
                    var rs = s.executeQuery("SELECT action FROM audit_log ORDER BY seq")) {
                while (rs.next()) {
                    actions.add(rs.getString(1));
                }
            }
            return actions;
        });
    }

    static List<String> scratchDatabases() throws SQLException {
        ConnectionSettings settings = server.db.settings();
        try (var c = settings.open();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'steward_verify_%'")) {
            var names = new ArrayList<String>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
