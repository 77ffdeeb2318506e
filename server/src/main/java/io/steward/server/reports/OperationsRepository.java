package io.steward.server.reports;

import static io.steward.server.reports.ReportRepository.MAX_ROWS;
import static io.steward.server.reports.ReportRepository.first;
import static io.steward.server.reports.ReportRepository.instant;
import static io.steward.server.reports.ReportRepository.instantOrNull;
import static io.steward.server.reports.ReportRepository.ts;

import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The evidence behind the reports about operations: alerts, health, backups and restore tests,
 * read as {@link ReportRepository} reads its own, in the same snapshot.
 */
final class OperationsRepository {
    /** Alert rules not retired: enabled, and all. */
    record RuleCount(long enabled, long total) {}

    /** The alerts of one severity: fired and resolved in the period, and minutes to resolve. */
    record SeverityAlerts(
            String severity,
            long fired,
            long resolved,
            @Nullable BigDecimal meanMinutes,
            @Nullable BigDecimal medianMinutes) {}

    /** How often one rule fired in the period, and when last. */
    record RuleFirings(String rule, String severity, long fired, Instant lastFired) {}

    /** Availability per health check, and how many seconds of the period anybody observed at all. */
    record Availability(long observedSeconds, List<CheckAvailability> checks) {}

    /** One health check's seconds observed and DOWN, its incidents, and the mean seconds to recover. */
    record CheckAvailability(
            String check,
            long observedSeconds,
            long downSeconds,
            long incidents,
            @Nullable Long meanSecondsToRecover) {}

    /** A DOWN spell: when it began, when it ended (null: still down), how many seconds it lasted. */
    record Incident(Instant down, @Nullable Instant up, long seconds) {}

    /** Backups started in the period: completed, failed, running; restore-tested passed, failed, never. */
    record BackupTotals(long completed, long failed, long running, long passed, long failedTests, long untested) {}

    /** A backup: when, why, how it ended, its size, its restore test's verdict and the reason of a failure. */
    record Backup(
            Instant started,
            String trigger,
            String status,
            @Nullable Long bytes,
            String restoreTest,
            @Nullable String reason) {}

    /** Restore tests started in the period: drills, failed drills, median and longest seconds. */
    record RestoreTotals(
            long drills,
            long drillsFailed,
            @Nullable BigDecimal medianSeconds,
            @Nullable BigDecimal longestSeconds) {}

    /** A restore test: when, why, the data's time, how many seconds, the verdict and its reason. */
    record RestoreTest(
            Instant started,
            String trigger,
            Instant recoveryPoint,
            @Nullable BigDecimal seconds,
            String verdict,
            @Nullable String reason) {}

    /** Alert rules: enabled and all. */
    RuleCount alertRules(Tx tx) throws SQLException {
        return first(
                tx,
                "SELECT count(*) FILTER (WHERE enabled), count(*) FROM alert_rules WHERE retired_at IS NULL",
                List.of(),
                rs -> new RuleCount(rs.getLong(1), rs.getLong(2)));
    }

    /**
     * Per severity: alerts that fired in the period, alerts resolved in it, and the mean and median
     * minutes from firing to resolution of those resolved.
     */
    List<SeverityAlerts> alertsBySeverity(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                """
                SELECT r.severity,
                       count(*) FILTER (WHERE e.fired_at >= ? AND e.fired_at < ?),
                       count(*) FILTER (WHERE e.resolved_at >= ? AND e.resolved_at < ? AND e.fired_at IS NOT NULL),
                       round((avg(extract(epoch FROM e.resolved_at - e.fired_at))
                           FILTER (WHERE e.resolved_at >= ? AND e.resolved_at < ?) / 60)::numeric, 1),
                       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.resolved_at - e.fired_at))
                           FILTER (WHERE e.resolved_at >= ? AND e.resolved_at < ?) / 60)::numeric, 1)
                  FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id
                 WHERE e.fired_at IS NOT NULL AND e.fired_at < ? AND (e.resolved_at IS NULL OR e.resolved_at >= ?)
                 GROUP BY r.severity ORDER BY r.severity""",
                List.of(ts(from), ts(to), ts(from), ts(to), ts(from), ts(to), ts(from), ts(to), ts(to), ts(from)),
                rs -> new SeverityAlerts(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4), rs.getBigDecimal(5)));
    }

    /** Alerts that fired in the period, per rule. */
    List<RuleFirings> firingsByRule(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                "SELECT r.name, r.severity, count(*), max(e.fired_at) FROM alert_events e"
                        + " JOIN alert_rules r ON r.id = e.rule_id WHERE e.fired_at >= ? AND e.fired_at < ?"
                        + " GROUP BY r.name, r.severity ORDER BY count(*) DESC, r.name LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new RuleFirings(rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs, 4)));
    }

    /**
     * Each check's spells up to {@code end}: a status from when it was recorded until the next
     * different one. A status recorded again (each start records every check afresh) continues its
     * spell, so an incident that spans a restart is one incident. Takes {@code end} as parameter.
     */
    private static final String SPELLS = """
            WITH raw AS (
                SELECT check_name, status, checked_at AS at, id,
                       lag(status) OVER (PARTITION BY check_name ORDER BY checked_at, id) AS prev
                  FROM health_history WHERE checked_at < ?
            ), changes AS (
                SELECT check_name, status, at,
                       lead(at) OVER (PARTITION BY check_name ORDER BY at, id) AS until
                  FROM raw WHERE prev IS DISTINCT FROM status
            )""";

    /**
     * Availability per health check in {@code [from, end)}: seconds observed (some instance was
     * running its checks: {@code health_coverage}) and seconds DOWN among them, DOWN spells that
     * began in the period, the mean seconds a DOWN spell lasted among those that ended in it, and
     * the seconds of the period that were observed at all. Time nobody observed is unknown, never
     * counted as up or down.
     */
    Availability availability(Tx tx, Instant from, Instant end) throws SQLException {
        record Read(CheckAvailability check, long observed) {}
        var rows = Statements.list(
                tx,
                SPELLS + """
                , p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t
                ), cov AS (
                    SELECT greatest(c.started_at, p.f) AS s, least(c.seen_until, p.t) AS e
                      FROM health_coverage c, p WHERE c.seen_until > p.f AND c.started_at < p.t
                ), ordered AS (
                    SELECT s, e, max(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
                      FROM cov
                ), known AS (
                    SELECT min(s) AS s, max(e) AS e FROM (
                        SELECT s, e, sum(CASE WHEN reach >= s THEN 0 ELSE 1 END) OVER (ORDER BY s, e) AS g FROM ordered
                    ) x GROUP BY g
                ), spells AS (
                    SELECT check_name, status, at, until, greatest(at, p.f) AS s, least(coalesce(until, p.t), p.t) AS e
                      FROM changes, p WHERE coalesce(until, p.t) > p.f
                ), seen AS (
                    SELECT sp.check_name,
                           sum(extract(epoch FROM least(sp.e, k.e) - greatest(sp.s, k.s))) AS observed,
                           sum(extract(epoch FROM least(sp.e, k.e) - greatest(sp.s, k.s)))
                               FILTER (WHERE sp.status = 'DOWN') AS down
                      FROM spells sp JOIN known k ON k.s < sp.e AND k.e > sp.s GROUP BY sp.check_name
                ), checks AS (
                    SELECT sp.check_name,
                           count(*) FILTER (WHERE sp.status = 'DOWN' AND sp.at >= p.f) AS incidents,
                           avg(extract(epoch FROM sp.until - sp.at))
                               FILTER (WHERE sp.status = 'DOWN' AND sp.until >= p.f AND sp.until < p.t) AS mttr
                      FROM spells sp, p GROUP BY sp.check_name
                )
                SELECT c.check_name, round(coalesce(s.observed, 0))::bigint, round(coalesce(s.down, 0))::bigint,
                       c.incidents, round(c.mttr)::bigint,
                       (SELECT round(coalesce(sum(extract(epoch FROM e - s)), 0))::bigint FROM known)
                  FROM checks c LEFT JOIN seen s ON s.check_name = c.check_name ORDER BY c.check_name""",
                List.of(ts(end), ts(from), ts(end)),
                rs -> new Read(
                        new CheckAvailability(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getObject(5, Long.class)),
                        rs.getLong(6)));
        return new Availability(
                rows.isEmpty() ? 0 : rows.getFirst().observed(),
                rows.stream().map(Read::check).toList());
    }

    /** The overall status's DOWN spells that overlap the period: start, end (null: still down). */
    List<Incident> incidents(Tx tx, String check, Instant from, Instant end) throws SQLException {
        return Statements.list(
                tx,
                SPELLS + """
                SELECT at, until, round(extract(epoch FROM coalesce(until, ?) - at))::bigint FROM changes
                 WHERE check_name = ? AND status = 'DOWN' AND coalesce(until, ?) > ? ORDER BY at LIMIT ?""",
                List.of(ts(end), ts(end), check, ts(end), ts(from), MAX_ROWS),
                rs -> new Incident(instant(rs, 1), instantOrNull(rs, 2), rs.getLong(3)));
    }

    /** Backups started in the period: completed, failed, running; verified passed, failed, never. */
    BackupTotals backupTotals(Tx tx, Instant from, Instant to) throws SQLException {
        return first(
                tx,
                "SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),"
                        + " count(*) FILTER (WHERE status = 'running'),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NOT NULL AND verified),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NOT NULL AND NOT verified),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NULL)"
                        + " FROM backups WHERE created_at >= ? AND created_at < ?",
                List.of(ts(from), ts(to)),
                rs -> new BackupTotals(
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
    }

    /** The backups started in the period, with their restore-test verdicts. */
    List<Backup> backups(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                "SELECT created_at, trigger, status, size_bytes,"
                        + " CASE WHEN verified_at IS NULL THEN 'not tested' WHEN verified THEN 'passed' ELSE 'failed' END,"
                        + " coalesce(verify_reason, error) FROM backups WHERE created_at >= ? AND created_at < ?"
                        + " ORDER BY created_at, id LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new Backup(
                        instant(rs, 1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, Long.class),
                        rs.getString(5),
                        rs.getString(6)));
    }

    /**
     * Restore tests started in the period: drills, drills that failed, and the median and longest
     * restore in seconds (of every test whose duration was recorded).
     */
    RestoreTotals restoreTotals(Tx tx, Instant from, Instant to) throws SQLException {
        return first(
                tx,
                "SELECT count(*) FILTER (WHERE trigger = 'drill'),"
                        + " count(*) FILTER (WHERE trigger = 'drill' AND NOT verified),"
                        + " round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) / 1000)::numeric, 1),"
                        + " round((max(duration_ms) / 1000.0)::numeric, 1)"
                        + " FROM restore_tests WHERE started_at >= ? AND started_at < ?",
                List.of(ts(from), ts(to)),
                rs -> new RestoreTotals(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4)));
    }

    /** The restore tests started in the period, oldest first. */
    List<RestoreTest> restoreTests(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                "SELECT started_at, trigger, recovery_point, round((duration_ms / 1000.0)::numeric, 1),"
                        + " CASE WHEN verified THEN 'passed' ELSE 'failed' END, reason"
                        + " FROM restore_tests WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new RestoreTest(
                        instant(rs, 1),
                        rs.getString(2),
                        instant(rs, 3),
                        rs.getBigDecimal(4),
                        rs.getString(5),
                        rs.getString(6)));
    }

    /**
     * The longest time, in days, during which no restore test had proven a backup, among the
     * stretches that overlap the period (up to {@code end}): each runs from one proof (or the first
     * backup, or the installation) to the next proof (or {@code end}).
     */
    BigDecimal longestUnprovenDays(Tx tx, Instant from, Instant end) throws SQLException {
        return first(
                tx,
                "WITH proofs AS (SELECT proven_at AS at FROM restore_proofs),"
                        + " marks AS (SELECT at FROM proofs WHERE at >= ? AND at < ?"
                        + " UNION ALL SELECT least(coalesce((SELECT max(at) FROM proofs WHERE at < ?),"
                        + " (SELECT min(created_at) FROM backups),"
                        + " (SELECT min(installed_on) FROM flyway_schema_history), ?::timestamptz), ?::timestamptz)"
                        + " UNION ALL SELECT ?::timestamptz)"
                        + " SELECT round((coalesce(max(extract(epoch FROM next - at)), 0) / 86400)::numeric, 1)"
                        + " FROM (SELECT at, lead(at) OVER (ORDER BY at) AS next FROM marks) g"
                        + " WHERE next IS NOT NULL AND next > at",
                List.of(ts(from), ts(end), ts(from), ts(from), ts(end), ts(end)),
                rs -> rs.getBigDecimal(1));
    }
}
