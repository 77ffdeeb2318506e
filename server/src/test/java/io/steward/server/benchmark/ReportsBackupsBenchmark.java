package io.steward.server.benchmark;

import io.steward.server.access.Principal;
import io.steward.server.api.BackupView;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Role;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SigningKey;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.backup.BackupService;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.reports.ReportService;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.users.UserRepository;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * On N demo users (default 1 000 000) and M audit entries (default 1 000 000): the SOC 2 report
 * (against its own audit-chain walk and a plain count of the trail), the GDPR report, a backup
 * (against COPY of every table to nowhere: the read it cannot beat) and its restore test. Not a
 * test; see docs/benchmarks.md.
 */
public final class ReportsBackupsBenchmark {
    private ReportsBackupsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int auditEntries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = Files.createTempDirectory("steward-bench");
        Clock clock = Clock.systemUTC();
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            TestDatabase.seedDemo(db, clock, users);
            var checkpoints = new AuditCheckpoints(
                    db,
                    SigningKey.load(dir.resolve("audit-signing-key"), true),
                    dir.resolve(AuditCheckpoints.FILE_NAME),
                    null,
                    () -> "bench",
                    clock,
                    io.steward.server.http.Json.mapper());
            var audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), clock, checkpoints);
            UsersGdprAuditBenchmark.loadAudit(db, audit, auditEntries);
            checkpoints.write();
            try (var c = pg.owner().open()) {
                c.createStatement().execute("VACUUM ANALYZE");
            }
            Principal admin = admin(db, clock);
            reports(db, audit, checkpoints.key(), clock, admin);
            backups(db, audit, clock, admin, dir.resolve("backups"));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Principal admin(Database db, Clock clock) {
        UUID id = UUID.randomUUID();
        db.inTransaction(tx -> {
            new UserRepository()
                    .insert(tx, id, "bench-admin@steward.local", "Bench Admin", Role.ADMIN, null, clock.instant());
            return null;
        });
        return new Principal(
                id, "bench-admin@steward.local", "Bench Admin", Role.ADMIN, UUID.randomUUID(), Instant.MAX);
    }

    private static void reports(Database db, AuditService audit, SigningKey key, Clock clock, Principal admin)
            throws Exception {
        var reports = new ReportService(db, db, audit, key, clock, RetentionService.parse(RetentionService.DEFAULTS));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var year = new ComplianceReport.Period(today.minusDays(365), today);
        for (int run = 0; run < 3; run++) {
            // the baseline: the whole chain walked, as on demand and daily; it also verifies the
            // checkpoint the report's check then starts from
            long t1 = System.nanoTime();
            var chain = audit.verify(true);
            double chainSeconds = seconds(t1);
            long t0 = System.nanoTime();
            var soc2 = reports.generate(admin, "soc2", year, "json", "bench").report();
            double soc2Seconds = seconds(t0);
            var checked = java.util.Objects.requireNonNull(
                    java.util.Objects.requireNonNull(soc2.generation()).auditChainCheck());
            long t2 = System.nanoTime();
            long count = db.read(tx -> {
                try (var rs = tx.connection().createStatement().executeQuery("SELECT count(*) FROM audit_log")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            double countSeconds = seconds(t2);
            long t3 = System.nanoTime();
            reports.generate(admin, "gdpr", year, "json", "bench");
            double gdprSeconds = seconds(t3);
            System.out.printf(
                    "SOC 2 report over a year: %.2f s (%d sections, chain: %s entries checked since the"
                            + " checkpoint) | full chain walk: %.2f s (%,d entries,"
                            + " valid=%s) | count(*) of the trail: %.2f s (%,d) | GDPR report: %.2f s%n",
                    soc2Seconds,
                    soc2.sections().size(),
                    checked.checked(),
                    chainSeconds,
                    chain.checked(),
                    chain.valid(),
                    countSeconds,
                    count,
                    gdprSeconds);
        }
    }

    private static void backups(Database db, AuditService audit, Clock clock, Principal admin, Path directory)
            throws Exception {
        long databaseBytes = db.read(tx -> {
            try (var rs =
                    tx.connection().createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        // the baseline: every table's COPY read and thrown away, the same way a backup reads it
        long t0 = System.nanoTime();
        long copied = 0;
        try (var c = db.settings().open()) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            var tables = new java.util.ArrayList<String>();
            try (var rs = c.createStatement()
                    .executeQuery(
                            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                var counting = new java.io.FilterOutputStream(OutputStream.nullOutputStream()) {
                    long n;

                    @Override
                    public void write(byte[] b, int off, int len) {
                        n += len;
                    }
                };
                copy.copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", counting);
                copied += counting.n;
            }
            c.commit();
        }
        double copySeconds = seconds(t0);
        // the second baseline: the same, each table in primary-key order, as a backup reads it
        long tOrdered = System.nanoTime();
        try (var c = db.settings().open()) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            var ordered = new java.util.ArrayList<String>();
            try (var rs = c.createStatement()
                    .executeQuery("SELECT t.tablename, (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)"
                            + " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(att, n)"
                            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.att"
                            + " WHERE i.indrelid = (quote_ident(t.tablename))::regclass AND i.indisprimary)"
                            + " FROM pg_tables t WHERE t.schemaname = current_schema()"
                            + " AND t.tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    String order = rs.getString(2);
                    ordered.add("COPY (SELECT * FROM " + rs.getString(1) + (order == null ? "" : " ORDER BY " + order)
                            + ") TO STDOUT (FORMAT binary)");
                }
            }
            for (String sql : ordered) {
                copy.copyOut(sql, OutputStream.nullOutputStream());
            }
            c.commit();
        }
        double orderedSeconds = seconds(tOrdered);
        var service = new BackupService(
                db,
                audit,
                clock,
                new BackupService.Settings(
                        directory, 7, false, directory.resolve("backup-key"), true, java.util.Optional.empty()));
        try {
            long t1 = System.nanoTime();
            BackupView started = service.start(admin, "bench");
            service.awaitIdle(Duration.ofHours(1));
            double backupSeconds = seconds(t1);
            BackupView done = service.get(admin, started.id());
            long data = done.contents().stream()
                    .mapToLong(BackupView.TableContent::bytes)
                    .sum();
            long t2 = System.nanoTime();
            var verdict = service.verify(admin, done.id(), "bench");
            double verifySeconds = seconds(t2);
            System.out.printf(
                    "database %,d bytes on disk; COPY data %,d bytes%n"
                            + "baseline, COPY of every table to nowhere: %.1f s (%.0f MB/s)%n"
                            + "baseline, the same in primary-key order: %.1f s (%.0f MB/s)%n"
                            + "backup (%s): %.1f s, %.0f MB/s of COPY data, archive %,d bytes (%.0f %% of the data)%n"
                            + "restore test (verified=%s%s): %.1f s, %.0f MB/s of COPY data%n",
                    databaseBytes,
                    data,
                    copySeconds,
                    copied / 1e6 / copySeconds,
                    orderedSeconds,
                    copied / 1e6 / orderedSeconds,
                    done.status(),
                    backupSeconds,
                    data / 1e6 / backupSeconds,
                    done.sizeBytes(),
                    100.0 * done.sizeBytes() / data,
                    verdict.verified(),
                    verdict.reason() == null ? "" : ": " + verdict.reason(),
                    verifySeconds,
                    data / 1e6 / verifySeconds);
        } finally {
            service.close();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
