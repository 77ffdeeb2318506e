package io.steward.server.gdpr;

import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage limitation (GDPR Art. 5(1)(e)): deletes what is older than its retention period —
 * by default audit entries after 7 years, sessions and sign-in attempts after 1 year, e-mail logs
 * after 2 years. A dry run only counts. Each real run is audited with what it removed; removing
 * the oldest audit entries re-anchors the chain so it still verifies. Runs daily by itself; one
 * instance at a time.
 */
public final class RetentionService {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    /** One table's rule: rows whose {@code column} is older than {@code days} go. */
    public record Policy(String table, String column, int days) {}

    /** What a run found or removed. */
    public record Report(boolean dryRun, Instant ranAt, List<Line> tables) {
        /** One table: its cutoff and the rows older than it. */
        public record Line(String table, int retentionDays, Instant cutoff, long rows) {}
    }

    static final Map<String, String> COLUMNS = Map.of(
            "audit_log", "at",
            "user_sessions", "started_at",
            "email_logs", "sent_at",
            "login_attempts", "at");

    /** How long audit entries are kept unless configured otherwise. */
    public static final int AUDIT_DAYS = 2555;

    public static final String DEFAULTS =
            "audit_log=" + AUDIT_DAYS + ",user_sessions=365,email_logs=730,login_attempts=365";

    private final Database db;
    private final RetentionRepository repository;
    private final AuditService audit;
    private final Clock clock;
    private final List<Policy> policies;

    public RetentionService(
            Database db, RetentionRepository repository, AuditService audit, Clock clock, List<Policy> policies) {
        this.db = db;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.policies = List.copyOf(policies);
    }

    /**
     * Reads {@code table=days,…}.
     *
     * @throws IllegalArgumentException naming the table or value that is not acceptable
     */
    public static List<Policy> parse(String spec) {
        var out = new ArrayList<Policy>();
        for (String part : spec.split(",")) {
            String[] kv = part.strip().split("=", 2);
            String column = COLUMNS.get(kv[0].strip());
            if (kv.length != 2 || column == null) {
                throw new IllegalArgumentException(
                        "retention applies to " + COLUMNS.keySet() + " as table=days, got '" + part + "'");
            }
            int days;
            try {
                days = Integer.parseInt(kv[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("retention days must be a whole number, got '" + kv[1] + "'");
            }
            if (days < 1 || (kv[0].strip().equals("audit_log") && days < 365)) {
                throw new IllegalArgumentException("retention of " + kv[0].strip() + " must be at least "
                        + (kv[0].strip().equals("audit_log") ? "365" : "1") + " days");
            }
            out.add(new Policy(kv[0].strip(), column, days));
        }
        return out;
    }

    /** Runs the policies; with {@code dryRun} only counts. */
    public Report run(boolean dryRun, @Nullable UUID actor, @Nullable String requestId) {
        return run(dryRun, actor, requestId, false).orElseThrow();
    }

    /** The daily run takes place when the last run, by anyone on any instance, is this old. */
    static final Duration SCHEDULE = Duration.ofHours(23);

    private Optional<Report> run(boolean dryRun, @Nullable UUID actor, @Nullable String requestId, boolean onlyIfDue) {
        Instant now = clock.instant();
        return db.inTransaction(tx -> {
            if (!repository.tryLock(tx)) {
                throw new ServiceException.Conflict("retention is running already");
            }
            if (onlyIfDue
                    && repository
                            .lastRun(tx)
                            .filter(at -> at.isAfter(now.minus(SCHEDULE)))
                            .isPresent()) {
                return Optional.<Report>empty();
            }
            var lines = new ArrayList<Report.Line>();
            var removed = new LinkedHashMap<String, Object>();
            for (Policy policy : policies) {
                Instant cutoff = now.minus(Duration.ofDays(policy.days()));
                boolean chain = policy.table().equals("audit_log");
                long rows = dryRun
                        ? (chain
                                ? repository.countAuditPrefix(tx, cutoff)
                                : repository.count(tx, policy.table(), policy.column(), cutoff))
                        : (chain
                                ? repository.deleteAuditPrefix(tx, cutoff)
                                : repository.delete(tx, policy.table(), policy.column(), cutoff));
                lines.add(new Report.Line(policy.table(), policy.days(), cutoff, rows));
                removed.put(policy.table(), rows);
            }
            if (!dryRun) {
                audit.record(
                        tx,
                        new AuditService.Event(
                                actor, "gdpr.retention_run", null, requestId, Map.of("removed", removed)));
            }
            return Optional.of(new Report(dryRun, now, lines));
        });
    }

    /** The daily run; failures are logged and tried again the next day. */
    public void runScheduled() {
        try {
            run(false, null, null, true).ifPresent(report -> LOG.info("retention run: {}", report.tables()));
        } catch (ServiceException.Conflict e) {
            LOG.info("retention skipped: another instance is running it");
        } catch (RuntimeException e) {
            LOG.error("retention run failed", e);
        }
    }
}
