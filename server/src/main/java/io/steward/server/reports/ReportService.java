package io.steward.server.reports;

import io.steward.server.access.Principal;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SigningKey;
import io.steward.server.db.Database;
import io.steward.server.db.DatabaseRoles;
import io.steward.server.error.ServiceException;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.system.SystemRoutes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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

    /** Computes the report, signs it and records that {@code actor} generated it in {@code format}. */
    public ComplianceReport generate(
            Principal actor, String type, ComplianceReport.Period period, String format, String requestId) {
        ComplianceReport report = compute(actor, type, period);
        db.inTransaction(tx -> audit.record(
                tx,
                new AuditService.Event(
                        actor.userId(),
                        "report.generated",
                        null,
                        requestId,
                        Map.of(
                                "type", type,
                                "from", period.from().toString(),
                                "to", period.to().toString(),
                                "format", format,
                                "sha256", report.sha256()))));
        return report;
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
        List<Section> sections = reads.readInTransaction(tx -> {
            people.snapshot(tx);
            return kind.sections(new Evidence(people, operations, tx, window, access), chain);
        });
        var report = new ComplianceReport(type, kind.title(), period, sections, null, null);
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
