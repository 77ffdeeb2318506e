package io.steward.server.reports;

import io.steward.server.access.Principal;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds the SOC 2, GDPR and ISO 27001 reports for a period from one consistent snapshot of the
 * database, signs their canonical JSON with SHA-256 and records each generation in the audit trail.
 */
public final class ReportService {
    public static final Set<String> TYPES = Set.of("soc2", "gdpr", "iso27001");
    public static final Set<String> FORMATS = Set.of("json", "csv", "pdf");
    static final int DORMANT_DAYS = 90;
    private static final int MAX_PERIOD_DAYS = 3_660;
    private static final String HEALTH_OVERALL = "overall";

    private final Database db;
    private final Database reads;
    private final ReportRepository repository = new ReportRepository();
    private final AuditService audit;
    private final SigningKey signingKey;
    private final Clock clock;
    private final List<RetentionService.Policy> retention;

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
        this.retention = List.copyOf(retention);
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

    /** Computes the report for {@code actor} and signs it; recording its generation is the caller's. */
    ComplianceReport compute(Principal actor, String type, ComplianceReport.Period period) {
        checkType(type);
        Instant now = clock.instant();
        Instant from = period.from().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = period.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Window window = new Window(from, to, to.isAfter(now) ? now : to, now);
        // the chain is walked first: its figure is about the trail as it stands at generation time
        AuditVerification chain = needsChain(type) ? audit.verify() : null;
        DatabaseRoles.Access access = db.access();
        List<Section> sections = reads.readInTransaction(tx -> {
            repository.snapshot(tx);
            var evidence = new Evidence(tx, window, access);
            return switch (type) {
                case "soc2" ->
                    List.of(
                            evidence.logicalAccess("CC6", "CC6 Logical and physical access controls"),
                            evidence.operations("CC7", "CC7 System operations"),
                            evidence.availability("A1", "A1 Availability"),
                            integrity("PI1", "Processing integrity: the audit trail", evidence.auditFigures(chain)));
                case "gdpr" ->
                    List.of(
                            evidence.gdprRequests("requests", "Data-subject requests (Art. 12, 15-22)"),
                            evidence.gdprErasureAndRetention(
                                    "storage", "Erasure and storage limitation (Art. 5(1)(e), 17)"),
                            recordsOfProcessing());
                default ->
                    List.of(
                            evidence.logicalAccess("A.5.15-5.18", "A.5.15 Access control, A.5.18 Access rights"),
                            integrity("A.8.15", "A.8.15 Logging", evidence.auditFigures(chain)),
                            evidence.operations("A.8.16", "A.8.16 Monitoring activities"),
                            evidence.backupSection("A.8.13", "A.8.13 Information backup"),
                            evidence.gdprRequests("A.5.34", "A.5.34 Privacy and protection of PII"),
                            evidence.changeManagement("A.8.32", "A.8.32 Change management"));
            };
        });
        var generatedBy = new ComplianceReport.GeneratedBy(
                actor.userId(), actor.email(), actor.name(), actor.role().wireName());
        var report = new ComplianceReport(
                type, title(type), period, now, generatedBy, SystemRoutes.version(), sections, null);
        return report.withSha256(ReportDigest.of(report));
    }

    private static boolean needsChain(String type) {
        return !type.equals("gdpr");
    }

    static String title(String type) {
        return switch (type) {
            case "soc2" -> "SOC 2 evidence report (Trust Services Criteria)";
            case "gdpr" -> "GDPR compliance report";
            default -> "ISO/IEC 27001:2022 Annex A evidence report";
        };
    }

    /** The period as instants: {@code [from, to)}, {@code end} = to or now if sooner. */
    record Window(Instant from, Instant to, Instant end, Instant now) {}

    private static Section integrity(String id, String title, List<Figure> figures) {
        return new Section(
                id,
                title,
                "The audit trail is append-only in the database and hash-chained, and its head is signed"
                        + " every minute (Ed25519 checkpoints); the chain is checked against the checkpoints"
                        + " when the report is generated.",
                figures,
                List.of());
    }

    private Section recordsOfProcessing() {
        var rows = new ArrayList<List<@Nullable Object>>();
        for (ProcessingRecords.Activity activity : ProcessingRecords.ACTIVITIES) {
            rows.add(List.of(
                    activity.purpose(),
                    activity.subjects(),
                    activity.categories(),
                    activity.legalBasis(),
                    String.join(", ", activity.tables()),
                    ProcessingRecords.retentionOf(activity, retention)));
        }
        return new Section(
                "art30",
                "Records of processing activities (Art. 30)",
                "What Steward's platform database holds, why, and for how long; retention periods are the"
                        + " ones this server is configured with (--retention) and enforces daily.",
                List.of(figure("activities", "Processing activities recorded", rows.size(), "", "the register below")),
                List.of(new Table(
                        "processing",
                        "Processing activities",
                        List.of("Purpose", "Data subjects", "Personal data", "Legal basis", "Tables", "Retention"),
                        rows,
                        "server configuration: the register of processing and --retention")));
    }

    static Figure figure(String key, String label, @Nullable Object value, String unit, String evidence) {
        return new Figure(key, label, value, unit, evidence);
    }

    static @Nullable Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 100_000.0 / whole) / 1000.0;
    }

    /** The figures of one snapshot, grouped the way the reports present them. */
    private final class Evidence {
        private final io.steward.server.db.Tx tx;
        private final Window w;

        private final DatabaseRoles.Access access;
        private @Nullable List<List<@Nullable Object>> availability;

        Evidence(io.steward.server.db.Tx tx, Window window, DatabaseRoles.Access access) {
            this.tx = tx;
            this.w = window;
            this.access = access;
        }

        /**
         * Whether the role the server works as could have changed the history these figures come
         * from, and the key the audit checkpoints are signed with, for checking them without us.
         */
        List<Figure> trust() {
            return List.of(
                    figure(
                            "database.historyProtected",
                            "The server's database role cannot change or delete audit entries",
                            access.historyProtected(),
                            "",
                            "role " + access.role()
                                    + (access.superuser() ? " (a superuser, started with --allow-superuser)" : "")
                                    + ": privileges on audit_log checked at generation"),
                    figure(
                            "audit.signingKey",
                            "Key the audit checkpoints are signed with (Ed25519, id)",
                            signingKey.keyId(),
                            "",
                            "public key, base64 X.509: " + signingKey.publicKeyBase64()));
        }

        private @Nullable List<List<@Nullable Object>> linked;

        /** Per health check, read once: both the operations and the availability section use it. */
        private List<List<@Nullable Object>> availability() throws java.sql.SQLException {
            if (availability == null) {
                availability = repository.availability(tx, w.from, w.end).rows();
            }
            return availability;
        }

        Section logicalAccess(String id, String title) throws java.sql.SQLException {
            var staff = repository.staffByRole(tx).rows();
            long active = staff.stream()
                    .mapToLong(r -> ((Number) r.get(1)).longValue())
                    .sum();
            Map<String, Long> auth = repository.auditCounts(
                    tx, List.of("auth.login", "auth.login_failed", "auth.lockout", "auth.login_locked"), w.from, w.to);
            var changes = repository.roleChanges(tx, w.from, w.to).rows();
            var dormant = repository.dormantStaff(tx, w.now, DORMANT_DAYS).rows();
            long deactivated = repository.deactivations(tx, w.from, w.to);
            return new Section(
                    id,
                    title,
                    "Who can sign in to the console with which role, how sign-in went in the period, every"
                            + " privileged change with who made it, an access review of dormant staff accounts, and"
                            + " erasure approvals whose two persons were linked by an account change.",
                    concat(
                            List.of(
                                    figure(
                                            "staff.active",
                                            "Active staff accounts",
                                            active,
                                            "accounts",
                                            "users: role in (admin, auditor, support), active, not deleted; now"),
                                    figure(
                                            "signins",
                                            "Successful sign-ins",
                                            auth.get("auth.login"),
                                            "sign-ins",
                                            "audit_log: action auth.login in the period"),
                                    figure(
                                            "signins.failed",
                                            "Failed sign-ins",
                                            auth.get("auth.login_failed"),
                                            "attempts",
                                            "audit_log: action auth.login_failed in the period"),
                                    figure(
                                            "lockouts",
                                            "Sign-in lockouts (5 failures to one account name from one address lock that name out from it for 15 minutes)",
                                            auth.get("auth.lockout"),
                                            "lockouts",
                                            "audit_log: action auth.lockout in the period"),
                                    figure(
                                            "signins.refused.locked",
                                            "Sign-ins refused while locked",
                                            auth.get("auth.login_locked"),
                                            "attempts",
                                            "audit_log: action auth.login_locked in the period"),
                                    figure(
                                            "deactivated",
                                            "Accounts deactivated",
                                            deactivated,
                                            "accounts",
                                            "audit_log: user.updated with active true to false in the period"),
                                    figure(
                                            "privileged.changes",
                                            "Privileged changes (roles granted or changed)",
                                            changes.size(),
                                            "changes",
                                            "audit_log: user.updated changing role, staff accounts created, in the period"),
                                    figure(
                                            "dormant",
                                            "Staff accounts dormant for " + DORMANT_DAYS + "+ days",
                                            dormant.size(),
                                            "accounts",
                                            "users: active staff whose last sign-in (or creation) is " + DORMANT_DAYS
                                                    + "+ days before generation")),
                            fourEyesFigures()),
                    List.of(
                            new Table(
                                    "staff.roles",
                                    "Staff accounts by role",
                                    List.of("Role", "Active", "Inactive"),
                                    staff,
                                    "users grouped by role, now"),
                            new Table(
                                    "privileged.changes",
                                    "Privileged changes",
                                    List.of("At", "By", "Account", "Role now", "Role before", "Role after"),
                                    changes,
                                    "audit_log joined with users"),
                            new Table(
                                    "access.review",
                                    "Access review: dormant staff accounts",
                                    List.of("Account", "Role", "Last sign-in", "Created"),
                                    dormant,
                                    "users: last_login, created_at"),
                            fourEyesTable()));
        }

        /** Erasure approvals in the period, and those whose two persons were linked (read once). */
        private List<Figure> fourEyesFigures() throws java.sql.SQLException {
            return List.of(
                    figure(
                            "approvals",
                            "Erasure approvals",
                            repository.approvals(tx, w.from, w.to),
                            "approvals",
                            "gdpr_requests: type erasure, approved in the period"),
                    figure(
                            "approvals.linked",
                            "Approvals by a person linked to the verifier (should be none)",
                            linkedApprovals().size(),
                            "approvals",
                            "approver created, re-activated or role-changed by the verifier, or created after the"
                                    + " request was received"));
        }

        private Table fourEyesTable() throws java.sql.SQLException {
            return new Table(
                    "approvals.linked",
                    "Erasure approvals by a person linked to the verifier",
                    List.of("Approved at", "Request", "Verified by", "Approved by", "Link"),
                    linkedApprovals(),
                    "gdpr_requests joined with staff_links (audit_log: user.created, user.updated) and users");
        }

        private List<List<@Nullable Object>> linkedApprovals() throws java.sql.SQLException {
            if (linked == null) {
                linked = repository.linkedApprovals(tx, w.from, w.to).rows();
            }
            return linked;
        }

        Section operations(String id, String title) throws java.sql.SQLException {
            long[] rules = repository.alertRules(tx);
            var severities = repository.alertsBySeverity(tx, w.from, w.to).rows();
            long fired = severities.stream()
                    .mapToLong(r -> ((Number) r.get(1)).longValue())
                    .sum();
            long resolved = severities.stream()
                    .mapToLong(r -> ((Number) r.get(2)).longValue())
                    .sum();
            var byRule = repository.firingsByRule(tx, w.from, w.to).rows();
            long incidents = availability().stream()
                    .filter(r -> HEALTH_OVERALL.equals(r.get(0)))
                    .mapToLong(r -> ((Number) r.get(3)).longValue())
                    .sum();
            return new Section(
                    id,
                    title,
                    "Alert rules watch the live metrics; each alert's firing and resolution is recorded with"
                            + " its time. Health incidents are the periods the overall health status was DOWN.",
                    List.of(
                            figure(
                                    "alert.rules",
                                    "Alert rules enabled",
                                    rules[0],
                                    "of " + rules[1] + " rules",
                                    "alert_rules: enabled, now"),
                            figure(
                                    "alerts.fired",
                                    "Alerts fired",
                                    fired,
                                    "alerts",
                                    "alert_events: fired_at in the period"),
                            figure(
                                    "alerts.resolved",
                                    "Alerts resolved",
                                    resolved,
                                    "alerts",
                                    "alert_events: resolved_at in the period"),
                            figure(
                                    "health.incidents",
                                    "Health incidents (overall status DOWN)",
                                    incidents,
                                    "incidents",
                                    "health_history: changes of the overall status to DOWN in the period")),
                    List.of(
                            new Table(
                                    "alerts.severity",
                                    "Alerts by severity",
                                    List.of(
                                            "Severity",
                                            "Fired",
                                            "Resolved",
                                            "Mean minutes to resolve",
                                            "Median minutes to resolve"),
                                    severities,
                                    "alert_events joined with alert_rules"),
                            new Table(
                                    "alerts.rules",
                                    "Alerts fired per rule",
                                    List.of("Rule", "Severity", "Fired", "Last fired"),
                                    byRule,
                                    "alert_events joined with alert_rules")));
        }

        Section availability(String id, String title) throws java.sql.SQLException {
            var checks = availability();
            var rows = new ArrayList<List<@Nullable Object>>();
            @Nullable Double uptime = null;
            @Nullable Object mttr = null;
            long incidents = 0;
            long period = Math.max(0, java.time.Duration.between(w.from, w.end).toSeconds());
            long known = checks.isEmpty() ? 0 : ((Number) checks.getFirst().get(5)).longValue();
            for (var r : checks) {
                long observed = ((Number) r.get(1)).longValue();
                long down = ((Number) r.get(2)).longValue();
                @Nullable Double percent = percent(observed - down, observed);
                rows.add(java.util.Arrays.asList(r.get(0), percent, observed, down, r.get(3), r.get(4)));
                if (HEALTH_OVERALL.equals(r.get(0))) {
                    uptime = percent;
                    incidents = ((Number) r.get(3)).longValue();
                    mttr = r.get(4);
                }
            }
            var spells = repository.incidents(tx, HEALTH_OVERALL, w.from, w.end).rows();
            long[] b = repository.backupTotals(tx, w.from, w.to);
            var figures = new ArrayList<Figure>(List.of(
                    figure(
                            "uptime",
                            "Uptime (overall health not DOWN, of the time observed)",
                            uptime,
                            "%",
                            "health_history: time in each recorded state of the overall status, within the period"
                                    + " up to now and within health_coverage (time some instance was running its"
                                    + " checks); a state lasts until the next different one"),
                    figure(
                            "unknown",
                            "Time nobody observed (Steward stopped), not counted as up or down",
                            period - known,
                            "seconds",
                            "the period up to now outside every health_coverage stretch"),
                    figure(
                            "incidents",
                            "Incidents",
                            incidents,
                            "incidents",
                            "health_history: overall status became DOWN in the period (a DOWN recorded again"
                                    + " after a restart continues the same incident)"),
                    figure(
                            "mttr",
                            "Mean time to recovery",
                            mttr,
                            "seconds",
                            "health_history: length of DOWN spells of the overall status that ended in the period")));
            figures.addAll(backupFigures(b));
            figures.addAll(restoreFigures());
            return new Section(
                    id,
                    title,
                    "Availability as Steward's health checks recorded it, and whether the data could be"
                            + " recovered: backups made and proven by restoring them.",
                    figures,
                    List.of(
                            new Table(
                                    "availability",
                                    "Availability per health check",
                                    List.of(
                                            "Check",
                                            "Uptime %",
                                            "Seconds observed",
                                            "Seconds DOWN",
                                            "Incidents",
                                            "Mean seconds to recover"),
                                    rows,
                                    "health_history"),
                            new Table(
                                    "incidents",
                                    "Incidents (overall status DOWN)",
                                    List.of("Down at", "Up again at", "Seconds"),
                                    spells,
                                    "health_history: overall"),
                            backupTable(),
                            restoreTable()));
        }

        Section backupSection(String id, String title) throws java.sql.SQLException {
            long[] b = repository.backupTotals(tx, w.from, w.to);
            return new Section(
                    id,
                    title,
                    "Backups of the whole database, each proven by restoring it into a scratch database and"
                            + " comparing every table's rows and checksum.",
                    concat(backupFigures(b), restoreFigures()),
                    List.of(backupTable(), restoreTable()));
        }

        private static List<Figure> concat(List<Figure> a, List<Figure> b) {
            var all = new ArrayList<Figure>(a);
            all.addAll(b);
            return all;
        }

        /** Restore drills and how long recovery took; the longest time nothing was proven. */
        private List<Figure> restoreFigures() throws java.sql.SQLException {
            Object[] r = repository.restoreTotals(tx, w.from, w.to);
            return List.of(
                    figure(
                            "restores.drills",
                            "Restore drills run",
                            r[0],
                            "drills",
                            "restore_tests: trigger drill (the schedule), started in the period"),
                    figure(
                            "restores.drills.failed",
                            "Restore drills failed",
                            r[1],
                            "drills",
                            "restore_tests: trigger drill, verdict failed"),
                    figure(
                            "restores.duration.median",
                            "Median restore duration (measured recovery time)",
                            r[2],
                            "seconds",
                            "restore_tests: duration_ms of restore tests started in the period"),
                    figure(
                            "restores.duration.max",
                            "Longest restore duration",
                            r[3],
                            "seconds",
                            "restore_tests: duration_ms of restore tests started in the period"),
                    figure(
                            "restores.unproven.longest",
                            "Longest time no backup was proven by a restore",
                            repository.longestUnprovenDays(tx, w.from, w.end),
                            "days",
                            "restore_proofs: from one passed restore test of the then newest backup (or the first"
                                    + " backup) to the next, or to the end of the period, for stretches overlapping the"
                                    + " period"));
        }

        private Table restoreTable() throws java.sql.SQLException {
            return new Table(
                    "restore-tests",
                    "Restore tests in the period",
                    List.of("Started", "Trigger", "Data as of (recovery point)", "Seconds", "Verdict", "Reason"),
                    repository.restoreTests(tx, w.from, w.to).rows(),
                    "restore_tests");
        }

        private Table backupTable() throws java.sql.SQLException {
            return new Table(
                    "backups",
                    "Backups in the period",
                    List.of("Started", "Trigger", "Status", "Bytes", "Restore test", "Reason"),
                    repository.backups(tx, w.from, w.to).rows(),
                    "backups");
        }

        private List<Figure> backupFigures(long[] b) {
            return List.of(
                    figure(
                            "backups.completed",
                            "Backups completed",
                            b[0],
                            "backups",
                            "backups: started in the period, status completed"),
                    figure(
                            "backups.failed",
                            "Backups failed",
                            b[1],
                            "backups",
                            "backups: started in the period, status failed"),
                    figure(
                            "backups.success",
                            "Backup success rate",
                            percent(b[0], b[0] + b[1]),
                            "%",
                            "completed / (completed + failed)"),
                    figure(
                            "restores.passed",
                            "Restore tests passed",
                            b[3],
                            "backups",
                            "backups: restored into a scratch database, every table matched"),
                    figure(
                            "restores.failed",
                            "Restore tests failed",
                            b[4],
                            "backups",
                            "backups: the restore test found a difference or a damaged archive"),
                    figure(
                            "restores.untested",
                            "Completed backups not restore-tested",
                            b[5],
                            "backups",
                            "backups: completed, never verified"));
        }

        List<Figure> auditFigures(@Nullable AuditVerification chain) throws java.sql.SQLException {
            var figures = new ArrayList<Figure>();
            figures.addAll(trust());
            figures.add(figure(
                    "audit.entries",
                    "Audit entries recorded in the period",
                    repository.auditEntries(tx, w.from, w.to),
                    "entries",
                    "audit_log: at in the period"));
            if (chain != null) {
                figures.add(figure(
                        "audit.chain.valid",
                        "Audit chain verified intact",
                        chain.valid(),
                        "",
                        chain.valid()
                                ? "every entry's SHA-256 recomputed from its predecessor's hash and its content, and"
                                        + " every signed checkpoint found in the chain, at generation"
                                : String.join("; ", chain.problems())));
                figures.add(figure(
                        "audit.chain.checked",
                        "Audit entries checked",
                        chain.checked(),
                        "entries",
                        chain.scope().equals("full")
                                ? "the whole trail, at generation"
                                : "only the entries after the signed checkpoint an earlier check verified, chained"
                                        + " from its hash, through entry " + chain.headSeq()
                                        + "; the whole trail is checked daily"));
                figures.add(figure(
                        "audit.chain.broken",
                        "First broken entry",
                        chain.firstBrokenId() == null
                                ? null
                                : chain.firstBrokenId().toString(),
                        "",
                        "audit_log id, when the chain is broken"));
                var newest = chain.newestCheckpoint();
                figures.add(figure(
                        "audit.checkpoint.latest",
                        "Newest signed checkpoint of the chain (entry)",
                        newest == null ? null : newest.seq(),
                        "",
                        newest == null
                                ? "no checkpoint yet"
                                : "signed " + newest.at() + " by key " + newest.keyId() + " on " + newest.instance()));
            }
            return figures;
        }

        Section gdprRequests(String id, String title) throws java.sql.SQLException {
            var byTypeAndStatus =
                    repository.gdprByTypeAndStatus(tx, w.from, w.to).rows();
            var statuses = java.util.Arrays.stream(io.steward.server.api.GdprStatus.values())
                    .map(io.steward.server.api.GdprStatus::wireName)
                    .toList();
            var pivot = new TreeMap<String, long[]>();
            long received = 0;
            for (var r : byTypeAndStatus) {
                long n = ((Number) r.get(2)).longValue();
                pivot.computeIfAbsent((String) r.get(0), t -> new long[statuses.size() + 1])[
                        statuses.indexOf((String) r.get(1))] += n;
                pivot.get((String) r.get(0))[statuses.size()] += n;
                received += n;
            }
            var rows = new ArrayList<List<@Nullable Object>>();
            pivot.forEach((type, counts) -> {
                var row = new ArrayList<@Nullable Object>();
                row.add(type);
                for (long c : counts) {
                    row.add(c);
                }
                rows.add(row);
            });
            Object[] completion = repository.gdprCompletion(tx, w.from, w.to);
            long completed = (Long) completion[0];
            long late = (Long) completion[1];
            long[] open = repository.gdprOpenNow(tx, w.now);
            var extensions = repository.gdprExtensions(tx, w.from, w.to).rows();
            var columns = new ArrayList<>(List.of("Type"));
            statuses.forEach(s -> columns.add(Character.toUpperCase(s.charAt(0)) + s.substring(1)));
            columns.add("Total");
            return new Section(
                    id,
                    title,
                    "Requests are due one month after receipt (Art. 12(3)), or later when extended with a"
                            + " reason; late means completed after that deadline. An erasure needs a second"
                            + " person's approval: not the verifier, nor an account the verifier created,"
                            + " re-activated or changed the role of, nor one created after the request arrived.",
                    concat(
                            List.of(
                                    figure(
                                            "gdpr.received",
                                            "Requests received",
                                            received,
                                            "requests",
                                            "gdpr_requests: received_at in the period"),
                                    figure(
                                            "gdpr.completed",
                                            "Requests completed",
                                            completed,
                                            "requests",
                                            "gdpr_requests: completed_at in the period"),
                                    figure(
                                            "gdpr.completed.ontime",
                                            "Completed on time",
                                            completed - late,
                                            "requests",
                                            "completed_at at or before the deadline (extended where it was)"),
                                    figure(
                                            "gdpr.completed.late",
                                            "Completed late",
                                            late,
                                            "requests",
                                            "completed_at after the deadline"),
                                    figure(
                                            "gdpr.late.percent",
                                            "Share completed late",
                                            percent(late, completed),
                                            "%",
                                            "late / completed"),
                                    figure(
                                            "gdpr.median.days",
                                            "Median time to complete",
                                            completion[2] == null
                                                    ? null
                                                    : ((java.math.BigDecimal) completion[2]).doubleValue(),
                                            "days",
                                            "gdpr_requests: completed_at - received_at, median"),
                                    figure(
                                            "gdpr.open",
                                            "Open now",
                                            open[0],
                                            "requests",
                                            "gdpr_requests: not completed or rejected, at generation"),
                                    figure(
                                            "gdpr.overdue",
                                            "Overdue now",
                                            open[1],
                                            "requests",
                                            "open requests past their deadline, at generation"),
                                    figure(
                                            "gdpr.extensions",
                                            "Extensions granted",
                                            extensions.size(),
                                            "requests",
                                            "audit_log: gdpr.request_extended in the period")),
                            fourEyesFigures()),
                    List.of(
                            new Table(
                                    "gdpr.types",
                                    "Requests received by type and state",
                                    columns,
                                    rows,
                                    "gdpr_requests grouped by type and status"),
                            new Table(
                                    "gdpr.extensions",
                                    "Extensions and their reasons",
                                    List.of(
                                            "Extended at",
                                            "Request",
                                            "Type",
                                            "Due",
                                            "Extended until",
                                            "Reason (the text is on the request)"),
                                    extensions,
                                    "audit_log joined with gdpr_requests"),
                            fourEyesTable()));
        }

        Section gdprErasureAndRetention(String id, String title) throws java.sql.SQLException {
            long erasures = repository.erasures(tx, w.from, w.to);
            long runs = repository
                    .auditCounts(tx, List.of("gdpr.retention_run"), w.from, w.to)
                    .getOrDefault("gdpr.retention_run", 0L);
            var removed = repository.retentionRemoved(tx, w.from, w.to).rows();
            long total = removed.stream()
                    .mapToLong(r -> ((Number) r.get(1)).longValue())
                    .sum();
            return new Section(
                    id,
                    title,
                    "Erasure anonymises the subject in every table in one transaction; retention removes"
                            + " records older than their configured period every day.",
                    List.of(
                            figure(
                                    "erasures",
                                    "Erasures executed",
                                    erasures,
                                    "subjects",
                                    "gdpr_requests: type erasure, completed in the period"),
                            figure(
                                    "retention.runs",
                                    "Retention runs",
                                    runs,
                                    "runs",
                                    "audit_log: gdpr.retention_run in the period"),
                            figure(
                                    "retention.removed",
                                    "Rows removed by retention",
                                    total,
                                    "rows",
                                    "audit_log: gdpr.retention_run details, summed"),
                            trust().get(0),
                            trust().get(1)),
                    List.of(new Table(
                            "retention.tables",
                            "Rows removed per table",
                            List.of("Table", "Rows removed"),
                            removed,
                            "audit_log: gdpr.retention_run details")));
        }

        Section changeManagement(String id, String title) throws java.sql.SQLException {
            var migrations = repository.migrations(tx).rows();
            long inPeriod = migrations.stream()
                    .filter(r -> r.get(2) instanceof Instant at && !at.isBefore(w.from) && at.isBefore(w.to))
                    .count();
            var flags = repository.flagChanges(tx, w.from, w.to).rows();
            return new Section(
                    id,
                    title,
                    "Schema changes are versioned migrations with checksums, applied by the server at start;"
                            + " feature-flag changes are audited with their before and after.",
                    List.of(
                            figure(
                                    "migrations.total",
                                    "Schema migrations applied",
                                    migrations.size(),
                                    "migrations",
                                    "flyway_schema_history"),
                            figure(
                                    "migrations.period",
                                    "Schema migrations applied in the period",
                                    inPeriod,
                                    "migrations",
                                    "flyway_schema_history: installed_on in the period"),
                            figure(
                                    "migrations.failed",
                                    "Failed migrations",
                                    migrations.stream()
                                            .filter(r -> Boolean.FALSE.equals(r.get(4)))
                                            .count(),
                                    "migrations",
                                    "flyway_schema_history: success false"),
                            figure(
                                    "flags.changes",
                                    "Feature-flag changes",
                                    flags.size(),
                                    "changes",
                                    "audit_log: flag.created, flag.updated in the period")),
                    List.of(
                            new Table(
                                    "migrations",
                                    "Schema migrations",
                                    List.of("Version", "Description", "Applied at", "Checksum", "Success"),
                                    migrations,
                                    "flyway_schema_history"),
                            new Table(
                                    "flags",
                                    "Feature-flag changes",
                                    List.of("At", "By", "Flag", "Change", "Enabled", "Percentage"),
                                    flags,
                                    "audit_log joined with users")));
        }
    }
}
