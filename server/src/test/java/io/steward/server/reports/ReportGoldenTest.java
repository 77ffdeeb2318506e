package io.steward.server.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.server.access.Principal;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Role;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SigningKey;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.http.Json;
import io.steward.server.testsupport.MutableClock;
import io.steward.server.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each report over one fixed fixture and a fixed clock, compared whole with the copy kept under
 * {@code src/test/resources/reports/golden/}: its canonical JSON, its CSV, and every figure and cell
 * as the PDF shows it. Only what is random by nature is replaced before comparing: the signing
 * key's id and public key, the generation's id and its signature, and so the SHA-256 (of the
 * evidence alone: it does not change with who generates it when). Every other id the reports show
 * is fixed here.
 *
 * <p>After a deliberate change to a report, write the copies anew with {@code
 * -Dreports.golden.write=true} and review their diff.
 */
class ReportGoldenTest {
    /** The period: the first quarter of 2026; the reports are made before it ends. */
    static final LocalDate FROM = LocalDate.parse("2026-01-01");

    static final LocalDate TO = LocalDate.parse("2026-03-31");
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-31T18:00:00Z");
    static final Path GOLDEN = Path.of("src", "test", "resources", "reports", "golden");

    static final UUID ADMIN = id(1);
    static final UUID AUDITOR = id(2);
    static final UUID SUPPORT = id(3);
    static final UUID MOVED = id(4);
    static final UUID NEWCOMER = id(5);
    static final String CRITICAL = "5d1c3e2a-0001-4000-8000-000000000002";
    static final String WARNING = "5d1c3e2a-0001-4000-8000-000000000001";
    static final String UNPROVEN = "5d1c3e2a-0001-4000-8000-000000000005";

    static Database db;
    static MutableClock clock;
    static AuditService audit;
    static SigningKey key;
    static Path checkpointFile;

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() throws Exception {
        db = TestDatabase.fresh("report_golden");
        clock = new MutableClock(T.minus(Duration.ofDays(60)));
        key = SigningKey.load(dir.resolve("audit-signing-key"), true);
        checkpointFile = dir.resolve(AuditCheckpoints.FILE_NAME);
        var checkpoints = new AuditCheckpoints(db, key, checkpointFile, null, () -> "golden", clock, Json.mapper());
        audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), clock, checkpoints);
        staff();
        gdprRequests();
        trail(checkpoints);
        operations();
        migrations();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soc2", "gdpr", "iso27001"})
    void aReportOverTheFixtureIsTheOneKept(String type) throws Exception {
        var service = service(clock);
        var actor = new Principal(ADMIN, "ada@golden.example", "Ada Admin", Role.ADMIN, id(99), Instant.MAX);
        ComplianceReport report = service.compute(actor, type, new ComplianceReport.Period(FROM, TO));

        ObjectMapper canonical = Json.mapper()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
                .enable(SerializationFeature.INDENT_OUTPUT);
        var csv = new StringWriter();
        ReportCsv.write(report, csv);
        assertThat(report.sha256()).isEqualTo(ReportDigest.of(report));

        compare(type + ".json", mask(report, canonical.writeValueAsString(report) + "\n"));
        compare(type + ".csv", mask(report, csv.toString()));
        compare(type + ".pdf.txt", mask(report, asThePdfShowsIt(report)));
    }

    /** January is over when the reports are made: its evidence no longer changes. */
    static final ComplianceReport.Period JANUARY =
            new ComplianceReport.Period(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"));

    @ParameterizedTest
    @ValueSource(strings = {"soc2", "gdpr", "iso27001"})
    void theDigestIsTheEvidencesWhoeverGeneratesItWhenAndTheGenerationIsSignedBesideIt(String type) throws Exception {
        var admin = new Principal(ADMIN, "ada@golden.example", "Ada Admin", Role.ADMIN, id(99), Instant.MAX);
        var auditor =
                new Principal(AUDITOR, "audrey@golden.example", "Audrey Auditor", Role.AUDITOR, id(98), Instant.MAX);
        ComplianceReport first = service(clock).compute(admin, type, JANUARY);
        // another person, a week later: nothing the period holds changed in between
        ComplianceReport second =
                service(new MutableClock(NOW.plus(Duration.ofDays(7)))).compute(auditor, type, JANUARY);

        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(java.util.Objects.requireNonNull(second.generation()).generatedAt())
                .isEqualTo(NOW.plus(Duration.ofDays(7)));
        var a = java.util.Objects.requireNonNull(first.generation());
        var b = java.util.Objects.requireNonNull(second.generation());
        assertThat(b.generatedBy().email()).isEqualTo("audrey@golden.example");
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.signature()).isNotEqualTo(a.signature());
        for (ComplianceReport report : List.of(first, second)) {
            var g = java.util.Objects.requireNonNull(report.generation());
            byte[] signature = java.util.Base64.getDecoder().decode(String.valueOf(g.signature()));
            assertThat(SigningKey.verify(
                            key.publicKey(), ReportDigest.signed(String.valueOf(report.sha256()), g), signature))
                    .as("the generation is signed with the digest")
                    .isTrue();
            byte[] json = Json.mapper().writeValueAsBytes(report);
            var check = ReportDigest.ofJson(json);
            assertThat(check.computed()).isEqualTo(check.claimed()).isEqualTo(first.sha256());
            assertThat(SigningKey.verify(
                            key.publicKey(), java.util.Objects.requireNonNull(check.signedBytes()), signature))
                    .as("and can be checked from the JSON as saved")
                    .isTrue();
        }
    }

    /** A report service of its own: the chain check of one report does not shorten the next one's. */
    static ReportService service(java.time.Clock at) {
        var checkpoints = new AuditCheckpoints(db, key, checkpointFile, null, () -> "golden", at, Json.mapper());
        var reportAudit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), at, checkpoints);
        return new ReportService(db, db, reportAudit, key, at, RetentionService.parse(RetentionService.DEFAULTS));
    }

    /** Every figure and every cell as {@link ReportPdf} writes it, one line each. */
    static String asThePdfShowsIt(ComplianceReport report) {
        var out = new StringBuilder();
        out.append("coverage: ").append(ReportPdf.coverage(report.coverage())).append('\n');
        for (var section : report.sections()) {
            out.append("section ").append(section.id()).append('\n');
            for (var f : section.figures()) {
                out.append("  figure ")
                        .append(f.key())
                        .append(": ")
                        .append(ReportPdf.shown(f))
                        .append('\n');
            }
            for (var table : section.tables()) {
                out.append("  table ").append(table.key()).append('\n');
                if (table.noData() != null) {
                    out.append("    no data: ").append(table.noData()).append('\n');
                }
                for (var row : table.rows()) {
                    var cells = new ArrayList<String>();
                    row.forEach(cell -> cells.add(ReportPdf.format(cell)));
                    out.append("    ").append(String.join(" | ", cells)).append('\n');
                }
            }
        }
        return out.toString();
    }

    static String mask(ComplianceReport report, String text) {
        var generation = java.util.Objects.requireNonNull(report.generation());
        return text.replace(String.valueOf(report.sha256()), "<sha256>")
                .replace(generation.id().toString(), "<generation id>")
                .replace(String.valueOf(generation.signature()), "<signature>")
                .replace(key.publicKeyBase64(), "<public key>")
                .replace(key.keyId(), "<key id>");
    }

    static void compare(String name, String actual) throws IOException {
        if (Boolean.getBoolean("reports.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(GOLDEN.resolve(name), actual);
            return;
        }
        String expected;
        try (InputStream in = ReportGoldenTest.class.getResourceAsStream("/reports/golden/" + name)) {
            assertThat(in).as("golden copy " + name).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!expected.equals(actual)) {
            Path made = Path.of("target", "golden-actual", name);
            Files.createDirectories(made.getParent());
            Files.writeString(made, actual);
        }
        assertThat(actual)
                .as(name + " (as made now: target/golden-actual/" + name + ")")
                .isEqualTo(expected);
    }

    // --------------------------------------------------------------------------------------------

    /**
     * Staff of every kind: active per role, inactive, deleted, dormant (signed in long ago, or
     * never and created long ago), and a support account made in the period.
     */
    static void staff() {
        user(ADMIN, "ada@golden.example", "admin", true, days(-400), days(80), null);
        user(AUDITOR, "audrey@golden.example", "auditor", true, days(-300), days(85), null);
        user(SUPPORT, "sam@golden.example", "support", true, days(-300), days(86), null);
        user(MOVED, "sid@golden.example", "support", true, days(-10), null, null);
        user(NEWCOMER, "nina@golden.example", "support", true, days(20), days(70), null);
        user(id(6), "dora@golden.example", "support", true, days(-500), days(-200), null);
        user(id(7), "neve@golden.example", "auditor", true, days(-150), null, null);
        user(id(8), "gone@golden.example", "admin", true, days(-600), days(-400), days(-100));
        for (int i = 0; i < 8; i++) {
            user(id(20 + i), "learner" + i + "@golden.example", "student", true, days(-30), null, null);
        }
    }

    /**
     * Requests of each type and state: on time, late, late only without its extension, rejected,
     * open, overdue, completed in the period though received before it; erasures approved by a
     * person the verifier had made, by one made after the request, and by one unlinked.
     */
    static void gdprRequests() {
        // id, subject, type, status, received, due, extended until, reason, verifier, approver, approved, completed
        request(
                id(101),
                20,
                "access",
                "completed",
                5,
                35,
                65.0,
                "awaiting identity documents",
                SUPPORT,
                null,
                null,
                50.0);
        request(id(102), 21, "access", "completed", 6, 36, null, null, SUPPORT, null, null, 40.5);
        request(id(103), 22, "portability", "completed", 7, 37, null, null, SUPPORT, null, null, 9.25);
        request(id(104), 23, "rectification", "received", 60, 90, null, null, null, null, null, null);
        request(id(105), 24, "access", "verified", 20, 50, 52.0, null, SUPPORT, null, null, null);
        request(id(106), 25, "restriction", "rejected", 15, 45, null, null, SUPPORT, null, null, null);
        request(id(107), 26, "access", "completed", -40, -10, null, null, SUPPORT, null, null, 2.0);
        request(id(108), 27, "erasure", "completed", 10, 40, null, null, ADMIN, NEWCOMER, 25.0, 26.0);
        request(id(109), 21, "erasure", "approved", 30, 60, null, null, SUPPORT, AUDITOR, 31.0, null);
        request(id(110), 22, "erasure", "completed", 15, 45, null, null, SUPPORT, NEWCOMER, 22.0, 23.5);
    }

    /**
     * The audit trail: sign-ins, lockouts, staff made and changed, flags, retention runs and
     * extensions, a checkpoint signed part-way, and entries before the period.
     */
    static void trail(AuditCheckpoints checkpoints) {
        at(-20);
        record(null, "user.bootstrap_admin", ADMIN, Map.of());
        record(ADMIN, "auth.login", ADMIN, Map.of());
        at(0.5);
        record(null, "user.bootstrap_admin", ADMIN, Map.of());
        at(1);
        for (int i = 0; i < 3; i++) {
            record(ADMIN, "auth.login", ADMIN, Map.of());
        }
        for (int i = 0; i < 5; i++) {
            record(null, "auth.login_failed", null, Map.of("email", "audrey@golden.example"));
        }
        record(null, "auth.lockout", AUDITOR, Map.of());
        record(null, "auth.login_locked", AUDITOR, Map.of());
        at(2);
        record(ADMIN, "user.created", MOVED, Map.of("role", "support"));
        record(ADMIN, "user.created", id(27), Map.of("role", "student"));
        at(2.25);
        record(ADMIN, "user.updated", MOVED, Map.of("role", Map.of("before", "support", "after", "auditor")));
        at(3);
        record(ADMIN, "user.updated", MOVED, Map.of("active", Map.of("before", true, "after", false)));
        at(4);
        record(ADMIN, "user.updated", MOVED, Map.of("active", Map.of("before", false, "after", true)));
        at(12);
        record(SUPPORT, "gdpr.request_extended", id(20), Map.of("requestId", id(101).toString()));
        at(20);
        record(ADMIN, "user.created", NEWCOMER, Map.of("role", "support"));
        at(40);
        record(
                ADMIN,
                "flag.created",
                null,
                Map.of("key", "new-checkout", "after", Map.of("enabled", true, "percentage", 25)));
        at(41.5);
        record(
                null,
                "flag.updated",
                null,
                Map.of("key", "new-checkout", "after", Map.of("enabled", false, "percentage", 0)));
        at(45);
        record(SUPPORT, "gdpr.request_extended", id(24), Map.of("requestId", id(105).toString()));
        at(50);
        record(null, "gdpr.retention_run", null, Map.of("removed", Map.of("login_attempts", 3, "email_logs", 2)));
        at(57);
        record(null, "gdpr.retention_run", null, Map.of("removed", Map.of("login_attempts", 1)));
        at(60);
        assertThat(checkpoints.write()).isPresent();
        at(70);
        record(NEWCOMER, "auth.login", NEWCOMER, Map.of());
        at(89);
        record(AUDITOR, "auth.login", AUDITOR, Map.of());
        clock.advance(Duration.between(clock.instant(), NOW));
    }

    /**
     * Alerts fired and resolved in, before and across the period; the overall status and the
     * database check going DOWN, one spell across a restart, one still DOWN; an hour nobody
     * watched; backups of every outcome with their restore tests.
     */
    static void operations() {
        // rule, fired (days), resolved (days, null: still firing)
        alert(CRITICAL, 10.0, 10.0 + 10 / 1440.0);
        alert(CRITICAL, 11.0, 11.0 + 25 / 1440.0);
        alert(WARNING, 12.0, 12.0 + 7.5 / 1440.0);
        alert(WARNING, -1.0, 0.5);
        alert(UNPROVEN, 80.0, null);
        sql("UPDATE alert_rules SET enabled = false WHERE id = ?::uuid", WARNING);
        sql(
                "UPDATE alert_rules SET retired_at = ? WHERE id NOT IN (?::uuid, ?::uuid, ?::uuid)",
                ts(days(-5)),
                CRITICAL,
                WARNING,
                UNPROVEN);

        Object[][] health = {
            {-2.0, "overall", "UP"},
            {-2.0, "database", "UP"},
            {-0.5, "overall", "DOWN"},
            {0.25, "overall", "UP"},
            {30.0, "overall", "DOWN"},
            {30.0 + 20 / 1440.0, "overall", "DOWN"},
            {30.0 + 47 / 1440.0, "overall", "UP"},
            {60.0, "database", "DEGRADED"},
            {61.0, "database", "UP"},
            {88.0, "database", "DOWN"},
        };
        for (Object[] h : health) {
            sql(
                    "INSERT INTO health_history (checked_at, check_name, status, latency_ms) VALUES (?, ?, ?, 3)",
                    ts(days((Double) h[0])),
                    h[1],
                    h[2]);
        }
        double[][] coverage = {{-3, 30.0 + 20 / 1440.0}, {30.0 + 20 / 1440.0, 45}, {45 + 1 / 24.0, 200}};
        int n = 0;
        for (double[] c : coverage) {
            sql(
                    "INSERT INTO health_coverage (id, started_at, seen_until) VALUES (?, ?, ?)",
                    id(300 + n++),
                    ts(days(c[0])),
                    ts(days(c[1])));
        }

        // created (days), status, trigger, size, restore test: trigger, minutes after, duration ms (null), verified,
        // reason
        backup(id(201), -3, "completed", "scheduled", 1_000_000L, "drill", 5, 90_000L, true, null);
        backup(id(202), 14, "completed", "manual", 2_345_678L, "manual", 10, 61_500L, true, null);
        backup(
                id(203),
                21,
                "completed",
                "scheduled",
                2_400_000L,
                "drill",
                5,
                240_000L,
                false,
                "table users: restored data differs from the recorded checksum");
        backup(id(204), 28, "completed", "scheduled", 2_500_000L, null, 0, null, false, null);
        backup(id(205), 35, "failed", "scheduled", null, null, 0, null, false, null);
        backup(id(206), 42, "completed", "scheduled", 2_600_000L, "drill", 3, null, true, null);
        backup(id(207), 89.5, "running", "manual", null, null, 0, null, false, null);
    }

    /** Only the first three migrations, at known times (one in the period, failed), so the copy outlives new ones. */
    static void migrations() {
        TestDatabase.asOwner(db, "DELETE FROM flyway_schema_history WHERE installed_rank > 3");
        db.asOwner(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement("UPDATE flyway_schema_history SET installed_on = ?,"
                            + " success = (installed_rank <> 3) WHERE installed_rank = ?")) {
                double[] when = {-30, -29.5, 45};
                for (int rank = 1; rank <= 3; rank++) {
                    ps.setTimestamp(1, ts(days(when[rank - 1])));
                    ps.setInt(2, rank);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    // --------------------------------------------------------------------------------------------

    static UUID id(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    static Instant days(double d) {
        return T.plusSeconds(Math.round(d * 86_400));
    }

    static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    static void at(double d) {
        clock.advance(Duration.between(clock.instant(), days(d)));
    }

    static void record(UUID actor, String action, UUID subject, Map<String, ?> details) {
        db.inTransaction(
                tx -> audit.record(tx, new AuditService.Event(actor, action, subject, null, new TreeMap<>(details))));
    }

    static void user(
            UUID id, String email, String role, boolean active, Instant created, Instant lastLogin, Instant deleted) {
        sql(
                "INSERT INTO users (id, email, name, role, active, created_at, updated_at, last_login, deleted_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                email,
                email.substring(0, email.indexOf('@')),
                role,
                active,
                ts(created),
                ts(created),
                lastLogin == null ? null : ts(lastLogin),
                deleted == null ? null : ts(deleted));
    }

    static void request(
            UUID id,
            int subject,
            String type,
            String status,
            double received,
            double due,
            Double extendedUntil,
            String reason,
            UUID verifier,
            UUID approver,
            Double approved,
            Double completed) {
        sql(
                "INSERT INTO gdpr_requests (id, user_id, type, status, received_at, due_at, extended_until,"
                        + " extension_reason, verified_by, verified_at, approved_by, approved_at, completed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                id(subject),
                type,
                status,
                ts(days(received)),
                ts(days(due)),
                extendedUntil == null ? null : ts(days(extendedUntil)),
                reason,
                verifier,
                verifier == null ? null : ts(days(received + 1)),
                approver,
                approved == null ? null : ts(days(approved)),
                completed == null ? null : ts(days(completed)));
    }

    static int alerts;

    static void alert(String rule, double fired, Double resolved) {
        sql(
                "INSERT INTO alert_events (id, rule_id, state, value, started_at, fired_at, fired_value, resolved_at,"
                        + " resolved_value) VALUES (?, ?::uuid, ?, 1, ?, ?, 1, ?, ?)",
                id(400 + alerts++),
                rule,
                resolved == null ? "firing" : "resolved",
                ts(days(fired).minusSeconds(60)),
                ts(days(fired)),
                resolved == null ? null : ts(days(resolved)),
                resolved == null ? null : 0.0);
    }

    static void backup(
            UUID id,
            double created,
            String status,
            String trigger,
            Long size,
            String testTrigger,
            int minutesAfter,
            Long durationMs,
            boolean verified,
            String reason) {
        boolean completed = status.equals("completed");
        Instant at = days(created);
        Instant tested = at.plus(Duration.ofMinutes(minutesAfter));
        sql(
                "INSERT INTO backups (id, status, created_at, completed_at, file_name, size_bytes, checksum, verified,"
                        + " verified_at, verify_reason, error, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                status,
                ts(at),
                status.equals("running") ? null : ts(at.plusSeconds(30)),
                completed ? "steward-backup-" + id + ".zip" : null,
                size,
                completed ? "ab".repeat(32) : null,
                verified,
                testTrigger == null ? null : ts(tested),
                reason,
                status.equals("failed") ? "cannot write the archive: disk full" : null,
                trigger);
        if (testTrigger != null) {
            sql(
                    "INSERT INTO restore_tests (id, backup_id, trigger, started_at, duration_ms, recovery_point, verified,"
                            + " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    UUID.nameUUIDFromBytes(id.toString().getBytes(StandardCharsets.UTF_8)),
                    id,
                    testTrigger,
                    ts(tested),
                    durationMs,
                    ts(at),
                    verified,
                    reason);
        }
    }

    static void sql(String sql, Object... params) {
        db.inTransaction(tx -> {
            try (var ps = tx.connection().prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }
}
