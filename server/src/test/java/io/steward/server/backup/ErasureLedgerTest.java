package io.steward.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.gdpr.ErasureFixture;
import io.steward.server.gdpr.ErasureLedger;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An erasure outlives every backup made before it: a restore of such a backup, by the real {@code
 * steward-server restore} process or by the restore test, does the erasure again from the erasure
 * ledger; a server started on a database restored behind its back does it before serving; and the
 * destroyed key leaves the table's file.
 */
class ErasureLedgerTest {
    TestServer server;
    ErasureFixture person;
    Path backups;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("erasure_ledger");
        backups = server.server.backups().settings().directory();
        person = new ErasureFixture(server);
        person.rectify();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void restoringABackupMadeBeforeAnErasureDoesTheErasureAgain() throws Exception {
        // approved when the backup is made, completed after
        String request = person.approvedErasure();
        Path archive = backUp();
        person.call("POST", "/api/v1/gdpr/requests/" + request + "/complete", person.admin, java.util.Map.of(), 200);

        String target = TestDatabase.createEmpty("ledger_restored");
        Run run = restore(archive, target, "--backup-dir", backups.toString());
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("Erasures replayed: 1");

        try (Database restored = TestDatabase.open(target)) {
            for (String value : ErasureFixture.VALUES) {
                assertThat(TestDatabase.tablesContaining(restored, value))
                        .as(value)
                        .isEmpty();
            }
            assertThat(TestDatabase.strings(
                            restored,
                            "SELECT active || ' ' || anonymized || ' ' || email FROM users WHERE id = '"
                                    + person.subject + "'"))
                    .containsExactly("false true erased-" + person.subject + "@erased.invalid");
            assertThat(TestDatabase.strings(
                            restored,
                            "SELECT coalesce(encode(key_material, 'hex'), 'destroyed') FROM subject_keys"
                                    + " WHERE subject_id = '" + person.subject + "'"))
                    .containsExactly("destroyed");
            assertThat(TestDatabase.strings(
                            restored, "SELECT status FROM gdpr_requests WHERE user_id = '" + person.subject + "'"))
                    .containsExactly("completed");
            assertThat(TestDatabase.strings(
                            restored, "SELECT subject_id FROM audit_log WHERE action = 'gdpr.erasure_replayed'"))
                    .containsExactly(person.subject);
            assertThat(TestDatabase.strings(
                            restored,
                            "SELECT details->>'erasureLedger' FROM audit_log WHERE action = 'backup.restored'"))
                    .containsExactly("checked");
            assertThat(new AuditService(restored, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC())
                            .verify()
                            .valid())
                    .isTrue();
            assertThat(TestDatabase.strings(restored, "SELECT count(*) FROM erasure_ledger"))
                    .containsExactly("1");
        }
    }

    @Test
    void aRestoreWithoutALedgerAsNewAsTheArchiveIsRefusedUnlessToldAndThenRecorded() throws Exception {
        person.erase();
        // the archive holds the erasure; taken elsewhere, without the folder's ledger
        Path archive = backUp();
        Path elsewhere = Files.createTempDirectory("steward-moved");
        Path moved = Files.copy(archive, elsewhere.resolve(archive.getFileName()));
        Path emptyFolder = Files.createTempDirectory("steward-no-ledger");

        String target = TestDatabase.createEmpty("ledger_missing");
        Run refused = restore(moved, target, "--backup-dir", emptyFolder.toString());
        assertThat(refused.code()).as(refused.output()).isEqualTo(RestoreCommand.REFUSED);
        assertThat(refused.output())
                .contains("no erasure ledger at least as new as the archive")
                .contains("--without-erasure-ledger")
                .doesNotContain("Exception");
        try (Database untouched = TestDatabase.open(target)) {
            assertThat(TestDatabase.strings(untouched, "SELECT count(*) FROM users"))
                    .as("nothing was restored")
                    .containsExactly("0");
        }

        String second = TestDatabase.createEmpty("ledger_missing_forced");
        Run forced = restore(moved, second, "--backup-dir", emptyFolder.toString(), "--without-erasure-ledger");
        assertThat(forced.code()).as(forced.output()).isZero();
        try (Database restored = TestDatabase.open(second)) {
            assertThat(TestDatabase.strings(
                            restored,
                            "SELECT details->>'erasureLedger' FROM audit_log WHERE action = 'backup.restored'"))
                    .singleElement()
                    .asString()
                    .contains("--without-erasure-ledger");
        }
        // the restored database's ledger now goes on in that folder
        assertThat(ErasureLedger.read(emptyFolder.resolve(ErasureLedger.FILE_NAME)))
                .hasSize(1);

        // the ledger given by hand is enough
        String third = TestDatabase.createEmpty("ledger_given");
        Run given = restore(
                moved,
                third,
                "--backup-dir",
                Files.createTempDirectory("steward-other").toString(),
                "--erasure-ledger",
                backups.resolve(ErasureLedger.FILE_NAME).toString());
        assertThat(given.code()).as(given.output()).isZero();
    }

    @Test
    void theRestoreTestReplaysTheErasuresCompletedAfterTheBackup() throws Exception {
        Path archive = backUp();
        String id = TestDatabase.strings(
                        server.db, "SELECT id FROM backups WHERE file_name = '" + archive.getFileName() + "'")
                .getFirst();
        person.erase();
        JsonNode verdict = person.call("POST", "/api/v1/backups/" + id + "/verify", person.admin, null, 200);
        assertThat(verdict.get("verified").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("erasuresReplayed").asInt()).isEqualTo(1);
        assertThat(TestDatabase.strings(
                        server.db,
                        "SELECT details->>'erasuresReplayed' FROM audit_log WHERE action = 'backup.verified'"))
                .containsExactly("1");

        // a backup made after the erasure already reflects it
        String later = TestDatabase.strings(
                        server.db, "SELECT id FROM backups WHERE file_name = '" + backUp().getFileName() + "'")
                .getFirst();
        assertThat(person.call("POST", "/api/v1/backups/" + later + "/verify", person.admin, null, 200)
                        .get("erasuresReplayed")
                        .asInt())
                .isZero();
    }

    @Test
    void aServerStartedOnADatabaseRestoredBehindItsBackDoesTheErasureAgainBeforeServing() throws Exception {
        Path archive = backUp();
        person.erase();
        // restored without the ledger, into a folder of its own: the person is back
        String target = TestDatabase.createEmpty("ledger_behind");
        Path folder = Files.createTempDirectory("steward-behind");
        Path copy = Files.copy(archive, folder.resolve(archive.getFileName()));
        Run run = restore(copy, target, "--backup-dir", folder.toString(), "--without-erasure-ledger");
        assertThat(run.code()).as(run.output()).isZero();
        try (Database restored = TestDatabase.open(target)) {
            assertThat(TestDatabase.tablesContaining(restored, ErasureFixture.NEW_EMAIL))
                    .contains("users");
        }

        // a server on it, with the backup folder that holds the ledger
        try (var again = TestServer.onExisting(
                TestDatabase.open(target), "erasure_ledger_again", "--backup-dir", backups.toString())) {
            for (String value : ErasureFixture.VALUES) {
                assertThat(TestDatabase.tablesContaining(again.db, value))
                        .as(value)
                        .isEmpty();
            }
            assertThat(TestDatabase.strings(
                            again.db,
                            "SELECT details->>'source' FROM audit_log WHERE action = 'gdpr.erasure_replayed'"))
                    .containsExactly("start");
            try (Response r = again.call("GET", "/api/v1/users?q=newname", again.login(TestServer.SUPPORT), null)) {
                assertThat(again.json(r).get("items")).isEmpty();
            }
        }
    }

    @Test
    void theLedgerFileIsPrivateAndHoldsEachErasureOnceItIsAnswered() throws Exception {
        JsonNode done = person.erase();
        assertThat(done.get("status").asText()).isEqualTo("completed");
        Path file = backups.resolve(ErasureLedger.FILE_NAME);
        var entries = ErasureLedger.read(file);
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.subjectId()).isEqualTo(UUID.fromString(person.subject));
            assertThat(entry.seq()).isEqualTo(1);
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String value : ErasureFixture.VALUES) {
            assertThat(text).as("no personal values in the ledger").doesNotContainIgnoringCase(value);
        }
    }

    @Test
    void theDestroyedKeysBytesLeaveTheTablesFile() throws Exception {
        byte[] key = java.util.HexFormat.of()
                .parseHex(TestDatabase.strings(
                                server.db,
                                "SELECT encode(key_material, 'hex') FROM subject_keys WHERE subject_id = '"
                                        + person.subject + "'")
                        .getFirst());
        TestDatabase.admin("CHECKPOINT");
        assertThat(heapHolds(key)).as("the key is in the table's file before").isTrue();

        person.erase();
        Conditions.await(
                Duration.ofSeconds(60),
                "the destroyed key shredded",
                () -> !TestDatabase.strings(server.db, "SELECT 1 FROM audit_log WHERE action = 'gdpr.keys_shredded'")
                        .isEmpty());
        TestDatabase.admin("CHECKPOINT");
        assertThat(heapHolds(key))
                .as("the key's bytes are gone from the table's file")
                .isFalse();
    }

    /** Whether the file of {@code subject_keys} (every segment) holds {@code bytes}. */
    boolean heapHolds(byte[] bytes) throws IOException {
        // where the files are is the superuser's to know, not the server role's
        String dataDir = TestDatabase.superuserString("SELECT current_setting('data_directory')");
        String relation = TestDatabase.strings(server.db, "SELECT pg_relation_filepath('subject_keys')")
                .getFirst();
        Path heap = Path.of(dataDir).resolve(relation);
        try (var files = Files.list(heap.getParent())) {
            for (Path segment : files.filter(f ->
                            f.getFileName().toString().equals(heap.getFileName().toString())
                                    || f.getFileName().toString().startsWith(heap.getFileName() + "."))
                    .toList()) {
                if (indexOf(Files.readAllBytes(segment), bytes) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Makes a backup through the API and returns its archive. */
    Path backUp() throws Exception {
        server.clock.advance(Duration.ofMinutes(1));
        String id = person.call("POST", "/api/v1/backups", person.admin, null, 202)
                .get("id")
                .asText();
        server.server.backups().awaitIdle(Duration.ofSeconds(120));
        Conditions.await(
                Duration.ofSeconds(30),
                "backup " + id + " done",
                () -> !TestDatabase.strings(
                                server.db, "SELECT 1 FROM backups WHERE status = 'completed' AND id = '" + id + "'")
                        .isEmpty());
        String file = TestDatabase.strings(server.db, "SELECT file_name FROM backups WHERE id = '" + id + "'")
                .getFirst();
        return backups.resolve(file);
    }

    record Run(int code, String output) {}

    /** The real {@code steward-server restore}, as a process of its own. */
    Run restore(Path archive, String database, String... extra) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "io.steward.server.Main", "restore"));
        command.addAll(BackupTest.restoreArguments(
                archive, database, server.server.backups().settings().keyFile()));
        command.addAll(List.of(extra));
        Path log = Files.createTempFile("steward-restore", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("STEWARD_"));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("restore did not finish in 5 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Run(process.exitValue(), output);
    }
}
