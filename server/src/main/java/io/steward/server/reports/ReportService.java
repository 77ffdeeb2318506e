package io.steward.server.reports;

import io.steward.server.access.Principal;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SigningKey;
import io.steward.server.db.Database;
import io.steward.server.db.DatabaseRoles;
import io.steward.server.db.Tx;
import io.steward.server.error.ServiceException;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.system.SystemRoutes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds the SOC 2, GDPR and ISO 27001 reports for a period from one consistent snapshot of the
 * database, digests their evidence with SHA-256, signs each generation beside the digest and
 * records it in the audit trail.
 * What each report shows is its own ({@link Soc2Report}, {@link GdprReport}, {@link
 * Iso27001Report}); this checks the request, reads the snapshot and signs.
 */
public final class ReportService {
    public static final Set<String> TYPES = Set.of("soc2", "gdpr", "iso27001");
    public static final Set<String> FORMATS = Set.of("json", "csv", "pdf");
    private static final int MAX_PERIOD_DAYS = 3_660;

    private final Database db;
    private final Database reads;
    private final ReportRepository people = new ReportRepository();
    private final OperationsRepository operations = new OperationsRepository();
    private final ReportSnapshotRepository snapshots = new ReportSnapshotRepository();
    private final AuditService audit;
    private final SigningKey signingKey;
    private final Clock clock;
    private final Map<String, Report> reports;

    /**
     * @param reads where the evidence is read: a read replica when one is configured, else {@code db}
     */
    public ReportService(
            Database db,
            Database reads,
            AuditService audit,
            SigningKey signingKey,
            Clock clock,
            List<RetentionService.Policy> retention) {
        this.db = db;
        this.signingKey = signingKey;
        this.reads = reads;
        this.audit = audit;
        this.clock = clock;
        this.reports =
                Map.of("soc2", new Soc2Report(), "gdpr", new GdprReport(retention), "iso27001", new Iso27001Report());
    }

    /**
     * Checks a report request: the type (404 when unknown), the format and the period (400 naming
     * the parameter). Without dates the period is the last full calendar quarter; with {@code from}
     * alone it runs to today.
     */
    public ComplianceReport.Period period(Optional<String> from, Optional<String> to) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (from.isEmpty() && to.isEmpty()) {
            LocalDate quarterStart = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
            return new ComplianceReport.Period(quarterStart.minusMonths(3), quarterStart.minusDays(1));
        }
        if (from.isEmpty()) {
            throw new ServiceException.Validation("from", "from is required when to is given");
        }
        LocalDate start = date("from", from.get());
        LocalDate end = to.map(t -> date("to", t)).orElse(today);
        if (start.isAfter(end)) {
            throw new ServiceException.Validation("from", "from must not be after to");
        }
        if (start.plusDays(MAX_PERIOD_DAYS).isBefore(end)) {
            throw new ServiceException.Validation("from", "a report covers at most ten years");
        }
        return new ComplianceReport.Period(start, end);
    }

    public static void checkType(String type) {
        if (!TYPES.contains(type)) {
            throw new ServiceException.NotFound("no report " + type + "; there are soc2, gdpr and iso27001");
        }
    }

    public static String checkFormat(Optional<String> format) {
        String f = format.orElse("json");
        if (!FORMATS.contains(f)) {
            throw new ServiceException.Validation("format", "format must be json, csv or pdf");
        }
        return f;
    }

    private static LocalDate date(String field, String value) {
        try {
            LocalDate date = LocalDate.parse(value);
            if (date.getYear() < 2000 || date.getYear() > 2999) {
                throw new ServiceException.Validation(field, field + " must be a date between 2000 and 2999");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new ServiceException.Validation(field, field + " must be a date as YYYY-MM-DD");
        }
    }

    /**
     * Generates the report once, as a snapshot: computes and signs it, renders its three forms and
     * keeps them, and records that {@code actor} generated it ({@code format}: the form asked for
     * with it, or null when only the snapshot was), in one transaction.
     */
    public ReportSnapshot generate(
            Principal actor, String type, ComplianceReport.Period period, @Nullable String format, String requestId) {
        ReportSnapshot snapshot = render(actor, type, period);
        var details = new LinkedHashMap<String, Object>();
        details.put("type", type);
        details.put("from", period.from().toString());
        details.put("to", period.to().toString());
        if (format != null) {
            details.put("format", format);
        }
        details.put("sha256", snapshot.sha256());
        details.put("snapshot", snapshot.id().toString());
        db.inTransaction(tx -> {
            keep(tx, snapshot);
            return audit.record(
                    tx, new AuditService.Event(actor.userId(), "report.generated", null, requestId, details));
        });
        return snapshot;
    }

    /**
     * The snapshot {@code id} in {@code format}, exactly as it was generated; recorded as {@code
     * actor}'s download.
     *
     * @throws ServiceException.NotFound when there is no such snapshot
     */
    ReportSnapshot.Form download(Principal actor, UUID id, String format, String requestId) {
        // snapshots are written to the primary: a replica may not have the one just made
        return db.inTransaction(tx -> {
            ReportSnapshot.Form form = snapshots
                    .form(tx, id, format)
                    .orElseThrow(() -> new ServiceException.NotFound("no report snapshot " + id));
            var details = new LinkedHashMap<String, Object>();
            details.put("snapshot", id.toString());
            details.put("type", form.type());
            details.put("from", form.period().from().toString());
            details.put("to", form.period().to().toString());
            details.put("format", format);
            details.put("sha256", form.sha256());
            audit.record(tx, new AuditService.Event(actor.userId(), "report.downloaded", null, requestId, details));
            return form;
        });
    }

    /** Computes and signs the report and renders its three forms, keeping nothing yet. */
    ReportSnapshot render(Principal actor, String type, ComplianceReport.Period period) {
        return ReportSnapshot.of(compute(actor, type, period));
    }

    /** Keeps {@code snapshot} in {@code tx}, so that it can be fetched again by its id. */
    void keep(Tx tx, ReportSnapshot snapshot) throws SQLException {
        snapshots.insert(tx, snapshot);
    }

    /**
     * Computes the report for {@code actor}: its digest over the evidence alone, and its
     * generation (who, when, which server and key, the audit chain's check) signed beside it;
     * recording its generation is the caller's.
     */
    ComplianceReport compute(Principal actor, String type, ComplianceReport.Period period) {
        checkType(type);
        Report kind = Objects.requireNonNull(reports.get(type), type);
        Instant now = clock.instant();
        Instant from = period.from().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = period.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        var window = new Evidence.Window(from, to, to.isAfter(now) ? now : to);
        // the chain is walked first: its figure is about the trail as it stands at generation time
        AuditVerification chain = kind.showsAuditChain() ? audit.verify() : null;
        DatabaseRoles.Access access = db.access();
        record Read(ComplianceReport.Coverage coverage, List<Section> sections) {}
        Read read = reads.readInTransaction(tx -> {
            people.snapshot(tx);
            var coverage = ReportCoverage.of(window, people.evidenceStart(tx));
            var sections = kind.sections(new Evidence(people, operations, tx, window, access), chain);
            return new Read(coverage, ReportCoverage.apply(coverage, window, sections));
        });
        var report = new ComplianceReport(type, kind.title(), period, read.coverage(), read.sections(), null, null);
        String digest = ReportDigest.of(report);
        var generation = new ComplianceReport.Generation(
                UUID.randomUUID(),
                now,
                new ComplianceReport.GeneratedBy(
                        actor.userId(),
                        actor.email(),
                        actor.name(),
                        actor.role().wireName()),
                SystemRoutes.version(),
                signingKey.keyId(),
                chain == null ? null : new ComplianceReport.ChainCheck(chain.scope(), chain.checked(), chain.headSeq()),
                null);
        String signature = Base64.getEncoder().encodeToString(signingKey.sign(ReportDigest.signed(digest, generation)));
        return report.with(digest, generation.signed(signature));
    }
}
