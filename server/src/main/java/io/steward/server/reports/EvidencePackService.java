package io.steward.server.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.steward.server.access.Principal;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.RestoreTestView;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.AuditService;
import io.steward.server.backup.BackupService;
import io.steward.server.db.Database;
import io.steward.server.http.Json;
import io.steward.server.system.SystemRoutes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes the auditor's evidence pack ({@link EvidencePack}) for a period: each report generated
 * once as a snapshot (kept, like any other, once the pack is made) and written in its three forms, the period's checkpoints streamed from the database, the
 * restore tests and migrations, and the manifest signed last; recorded in the audit trail as one
 * {@code report.evidence_pack_generated} entry naming the manifest's and each report's SHA-256.
 */
public final class EvidencePackService {
    static final int MAX_RESTORE_TESTS = 10_000;

    private final ReportService reports;
    private final AuditCheckpoints checkpoints;
    private final BackupService backups;
    private final Database db;
    private final AuditService audit;
    private final Clock clock;
    private final ReportRepository repository = new ReportRepository();
    private final ObjectMapper mapper = Json.mapper();
    private final ObjectWriter pretty = mapper.writerWithDefaultPrettyPrinter();

    public EvidencePackService(
            ReportService reports,
            AuditCheckpoints checkpoints,
            BackupService backups,
            Database db,
            AuditService audit,
            Clock clock) {
        this.reports = reports;
        this.checkpoints = checkpoints;
        this.backups = backups;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** The name a pack for {@code period} is offered under. */
    public static String fileName(ComplianceReport.Period period) {
        return "steward-evidence-" + period.from() + "-to-" + period.to() + ".zip";
    }

    /**
     * Makes the pack for {@code period} as {@code actor} in a private temporary file, which the
     * caller sends and deletes. Nothing is recorded unless the whole pack was written; a failure
     * leaves no file behind.
     */
    public Path build(Principal actor, ComplianceReport.Period period, String requestId) throws IOException {
        var made = new LinkedHashMap<String, ReportSnapshot>();
        for (String type : EvidencePack.REPORT_TYPES) {
            made.put(type, reports.render(actor, type, period));
        }
        ComplianceReport.Generation first = made.values().iterator().next().generation();
        var key = checkpoints.key();
        var facts = new EvidencePack.Manifest(
                EvidencePack.FORMAT,
                period,
                first.generatedAt(),
                first.generatedBy(),
                SystemRoutes.version(),
                key.keyId(),
                List.of());
        // temporary files are owner-only; the reports name staff, so the pack is kept to its owner
        Path file = Files.createTempFile("steward-evidence-", ".zip");
        try {
            var files = new ArrayList<EvidencePack.Manifest.File>();
            FileTime time = FileTime.from(facts.generatedAt());
            String manifestSha256;
            try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
                var pack = new Entries(zip, time, files);
                pack.add(EvidencePack.README, out -> out.write(bytes(EvidencePack.readme(facts))));
                pack.add(EvidencePack.PUBLIC_KEY, out -> out.write(bytes(key.publicKeyPem())));
                for (var report : made.entrySet()) {
                    for (String format : EvidencePack.REPORT_FORMATS) {
                        pack.add(
                                EvidencePack.report(report.getKey(), format),
                                out -> out.write(report.getValue().form(format)));
                    }
                }
                pack.add(EvidencePack.CHECKPOINTS, out -> writeCheckpoints(period, out));
                pack.add(EvidencePack.RESTORE_TESTS, out -> pretty.writeValue(out, restoreTests(period)));
                pack.add(EvidencePack.MIGRATIONS, out -> pretty.writeValue(out, migrations()));
                byte[] manifest = pretty.writeValueAsBytes(new EvidencePack.Manifest(
                        facts.format(),
                        facts.period(),
                        facts.generatedAt(),
                        facts.generatedBy(),
                        facts.serverVersion(),
                        facts.keyId(),
                        files));
                pack.add(EvidencePack.MANIFEST, out -> out.write(manifest));
                pack.add(EvidencePack.SIGNATURE, out -> out.write(key.sign(manifest)));
                manifestSha256 = ReportDigest.sha256(manifest);
            }
            record(actor, period, requestId, manifestSha256, made);
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private void record(
            Principal actor,
            ComplianceReport.Period period,
            String requestId,
            String manifestSha256,
            Map<String, ReportSnapshot> made) {
        var details = new LinkedHashMap<String, Object>();
        details.put("from", period.from().toString());
        details.put("to", period.to().toString());
        details.put("manifestSha256", manifestSha256);
        made.forEach((type, report) -> {
            details.put(type + "Sha256", report.sha256());
            details.put(type + "Snapshot", report.id().toString());
        });
        // the pack's reports are snapshots like any other: each can be fetched again by its id
        db.inTransaction(tx -> {
            for (ReportSnapshot report : made.values()) {
                reports.keep(tx, report);
            }
            return audit.record(
                    tx,
                    new AuditService.Event(actor.userId(), "report.evidence_pack_generated", null, requestId, details));
        });
    }

    /** The checkpoints written in the period, one JSON line each, read and written one at a time. */
    private void writeCheckpoints(ComplianceReport.Period period, OutputStream out) throws IOException {
        var writer = mapper.writer();
        try {
            checkpoints.signedBetween(start(period), end(period), checkpoint -> {
                try {
                    out.write(writer.writeValueAsBytes(checkpoint));
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private EvidencePack.RestoreTests restoreTests(ComplianceReport.Period period) {
        List<RestoreTestView> tests = backups.restoreTests(start(period), end(period), MAX_RESTORE_TESTS + 1);
        boolean truncated = tests.size() > MAX_RESTORE_TESTS;
        return new EvidencePack.RestoreTests(
                backups.drillStatus(), truncated ? tests.subList(0, MAX_RESTORE_TESTS) : tests, truncated);
    }

    private List<EvidencePack.Migration> migrations() {
        return db.read(tx -> repository.migrations(tx).stream()
                .map(m -> new EvidencePack.Migration(
                        m.version(), m.description(), m.installedOn(), m.checksum(), m.success()))
                .toList());
    }

    private static Instant start(ComplianceReport.Period period) {
        return period.from().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private Instant end(ComplianceReport.Period period) {
        Instant to = period.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant now = clock.instant();
        return to.isAfter(now) ? now : to;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes entries into the zip, noting each one's size and SHA-256 for the manifest. */
    private record Entries(ZipOutputStream zip, FileTime time, List<EvidencePack.Manifest.File> files) {
        void add(String name, Body body) throws IOException {
            var entry = new ZipEntry(name);
            entry.setLastModifiedTime(time);
            zip.putNextEntry(entry);
            MessageDigest sha256 = sha256();
            var counted = new Counted(new DigestOutputStream(zip, sha256));
            body.write(counted);
            counted.flush();
            zip.closeEntry();
            if (!name.equals(EvidencePack.MANIFEST) && !name.equals(EvidencePack.SIGNATURE)) {
                files.add(new EvidencePack.Manifest.File(
                        name, counted.count, HexFormat.of().formatHex(sha256.digest())));
            }
        }
    }

    /** Counts what passes through; closing it (Jackson does) leaves the zip open. */
    private static final class Counted extends java.io.FilterOutputStream {
        long count;

        Counted(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
