package io.steward.server.reports;

import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The evidence behind the reports: each method is one aggregate query over indexed tables, for a
 * period {@code [from, to)}; nothing loads the rows it counts. Lists of evidence are capped at
 * {@link #MAX_ROWS}.
 */
final class ReportRepository {
    static final int MAX_ROWS = 500;
    static final List<String> STAFF_ROLES = List.of("admin", "auditor", "support");

    /** Reads everything that follows in one consistent snapshot. */
    void snapshot(Tx tx) throws SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
        }
    }

    /** A table of evidence: its rows as read. */
    record Rows(List<List<@Nullable Object>> rows) {}

    /** Staff accounts per role: active and not. */
    Rows staffByRole(Tx tx) throws SQLException {
        return rows(
                tx,
                "SELECT role, count(*) FILTER (WHERE active AND deleted_at IS NULL),"
                        + " count(*) FILTER (WHERE NOT active OR deleted_at IS NOT NULL)"
                        + " FROM users WHERE role IN ('admin', 'auditor', 'support') GROUP BY role ORDER BY role",
                List.of(),
                3);
    }

    /** How many audit entries of each of {@code actions} fall in the period (absent: none). */
    Map<String, Long> auditCounts(Tx tx, List<String> actions, Instant from, Instant to) throws SQLException {
        var counts = new LinkedHashMap<String, Long>();
        actions.forEach(a -> counts.put(a, 0L));
        try (var ps = Statements.prepare(
                        tx,
                        "SELECT action, count(*) FROM audit_log WHERE action = ANY (?) AND at >= ? AND at < ? GROUP BY action",
                        List.of(tx.connection().createArrayOf("text", actions.toArray()), ts(from), ts(to)));
                var rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Audit entries in the period, all actions. */
    long auditEntries(Tx tx, Instant from, Instant to) throws SQLException {
        return one(tx, "SELECT count(*) FROM audit_log WHERE at >= ? AND at < ?", List.of(ts(from), ts(to)));
    }

    /** Accounts deactivated in the period (an update that set active from true to false). */
    long deactivations(Tx tx, Instant from, Instant to) throws SQLException {
        return one(
                tx,
                "SELECT count(*) FROM audit_log WHERE action = 'user.updated' AND at >= ? AND at < ?"
                        + " AND details -> 'active' ->> 'after' = 'false'",
                List.of(ts(from), ts(to)));
    }

    /** Privileged changes: role changes, staff accounts created; when, by whom, whose, from and to. */
    Rows roleChanges(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(tx, """
                SELECT a.at, coalesce(actor.email, 'system'), s.email, s.role,
                       CASE WHEN a.action = 'user.updated' THEN a.details -> 'role' ->> 'before' END,
                       CASE a.action WHEN 'user.updated' THEN a.details -> 'role' ->> 'after'
                                     WHEN 'user.bootstrap_admin' THEN 'admin'
                                     ELSE a.details ->> 'role' END
                  FROM audit_log a
                  LEFT JOIN users actor ON actor.id = a.actor_id
                  LEFT JOIN users s ON s.id = a.subject_id
                 WHERE a.action IN ('user.updated', 'user.created', 'user.bootstrap_admin')
                   AND a.at >= ? AND a.at < ?
                   AND (a.action = 'user.bootstrap_admin'
                        OR (a.action = 'user.updated' AND a.details -> 'role' IS NOT NULL)
                        OR (a.action = 'user.created' AND a.details ->> 'role' IN ('admin', 'auditor', 'support')))
                 ORDER BY a.at, a.seq LIMIT ?""", List.of(ts(from), ts(to), MAX_ROWS), 6);
    }

    /** Active staff accounts with no sign-in (or, never signed in, no creation) for {@code days}. */
    Rows dormantStaff(Tx tx, Instant now, int days) throws SQLException {
        return rows(
                tx,
                "SELECT email, role, last_login, created_at FROM users"
                        + " WHERE role IN ('admin', 'auditor', 'support') AND active AND deleted_at IS NULL"
                        + " AND coalesce(last_login, created_at) < ? ORDER BY coalesce(last_login, created_at) LIMIT ?",
                List.of(ts(now.minus(java.time.Duration.ofDays(days))), MAX_ROWS),
                4);
    }

    /** Alert rules: enabled and all. */
    long[] alertRules(Tx tx) throws SQLException {
        return counts(
                tx,
                "SELECT count(*) FILTER (WHERE enabled), count(*) FROM alert_rules WHERE retired_at IS NULL",
                List.of(),
                2);
    }

    /**
     * Per severity: alerts that fired in the period, alerts resolved in it, and the mean and median
     * minutes from firing to resolution of those resolved.
     */
    Rows alertsBySeverity(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
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
                5);
    }

    /** Alerts that fired in the period, per rule. */
    Rows firingsByRule(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
                tx,
                "SELECT r.name, r.severity, count(*), max(e.fired_at) FROM alert_events e"
                        + " JOIN alert_rules r ON r.id = e.rule_id WHERE e.fired_at >= ? AND e.fired_at < ?"
                        + " GROUP BY r.name, r.severity ORDER BY count(*) DESC, r.name LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                4);
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
    Rows availability(Tx tx, Instant from, Instant end) throws SQLException {
        return rows(tx, SPELLS + """
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
                  FROM checks c LEFT JOIN seen s ON s.check_name = c.check_name ORDER BY c.check_name""", List.of(ts(end), ts(from), ts(end)), 6);
    }

    /** The overall status's DOWN spells that overlap the period: start, end (null: still down). */
    Rows incidents(Tx tx, String check, Instant from, Instant end) throws SQLException {
        return rows(tx, SPELLS + """
                SELECT at, until, round(extract(epoch FROM coalesce(until, ?) - at))::bigint FROM changes
                 WHERE check_name = ? AND status = 'DOWN' AND coalesce(until, ?) > ? ORDER BY at LIMIT ?""", List.of(ts(end), ts(end), check, ts(end), ts(from), MAX_ROWS), 3);
    }

    /** Backups started in the period: completed, failed, running; verified passed, failed, never. */
    long[] backupTotals(Tx tx, Instant from, Instant to) throws SQLException {
        return counts(
                tx,
                "SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),"
                        + " count(*) FILTER (WHERE status = 'running'),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NOT NULL AND verified),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NOT NULL AND NOT verified),"
                        + " count(*) FILTER (WHERE status = 'completed' AND verified_at IS NULL)"
                        + " FROM backups WHERE created_at >= ? AND created_at < ?",
                List.of(ts(from), ts(to)),
                6);
    }

    /** The backups started in the period, with their restore-test verdicts. */
    Rows backups(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
                tx,
                "SELECT created_at, trigger, status, size_bytes,"
                        + " CASE WHEN verified_at IS NULL THEN 'not tested' WHEN verified THEN 'passed' ELSE 'failed' END,"
                        + " coalesce(verify_reason, error) FROM backups WHERE created_at >= ? AND created_at < ?"
                        + " ORDER BY created_at, id LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                6);
    }

    /**
     * Restore tests started in the period: drills, drills that failed, and the median and longest
     * restore in seconds (of every test whose duration was recorded).
     */
    Object[] restoreTotals(Tx tx, Instant from, Instant to) throws SQLException {
        try (var ps = Statements.prepare(
                        tx,
                        "SELECT count(*) FILTER (WHERE trigger = 'drill'),"
                                + " count(*) FILTER (WHERE trigger = 'drill' AND NOT verified),"
                                + " round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) / 1000)::numeric, 1),"
                                + " round((max(duration_ms) / 1000.0)::numeric, 1)"
                                + " FROM restore_tests WHERE started_at >= ? AND started_at < ?",
                        List.of(ts(from), ts(to)));
                var rs = ps.executeQuery()) {
            rs.next();
            return new Object[] {rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4)};
        }
    }

    /** The restore tests started in the period, oldest first. */
    Rows restoreTests(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
                tx,
                "SELECT started_at, trigger, recovery_point, round((duration_ms / 1000.0)::numeric, 1),"
                        + " CASE WHEN verified THEN 'passed' ELSE 'failed' END, reason"
                        + " FROM restore_tests WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id LIMIT ?",
                List.of(ts(from), ts(to), MAX_ROWS),
                6);
    }

    /**
     * The longest time, in days, during which no restore test had proven a backup, among the
     * stretches that overlap the period (up to {@code end}): each runs from one proof (or the first
     * backup, or the installation) to the next proof (or {@code end}).
     */
    java.math.BigDecimal longestUnprovenDays(Tx tx, Instant from, Instant end) throws SQLException {
        try (var ps = Statements.prepare(
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
                        List.of(ts(from), ts(end), ts(from), ts(from), ts(end), ts(end)));
                var rs = ps.executeQuery()) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    /** GDPR requests received in the period, per type and state. */
    Rows gdprByTypeAndStatus(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
                tx,
                "SELECT type, status, count(*) FROM gdpr_requests WHERE received_at >= ? AND received_at < ?"
                        + " GROUP BY type, status ORDER BY type, status",
                List.of(ts(from), ts(to)),
                3);
    }

    /**
     * Requests completed in the period: how many, how many after their deadline (extended where it
     * was), and the median days from receipt to completion.
     */
    Object[] gdprCompletion(Tx tx, Instant from, Instant to) throws SQLException {
        try (var ps = Statements.prepare(
                        tx,
                        "SELECT count(*), count(*) FILTER (WHERE completed_at > coalesce(extended_until, due_at)),"
                                + " round((percentile_cont(0.5) WITHIN GROUP"
                                + " (ORDER BY extract(epoch FROM completed_at - received_at)) / 86400)::numeric, 1)"
                                + " FROM gdpr_requests WHERE status = 'completed' AND completed_at >= ? AND completed_at < ?",
                        List.of(ts(from), ts(to)));
                var rs = ps.executeQuery()) {
            rs.next();
            return new Object[] {rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3)};
        }
    }

    /** Requests open now, and of those past their deadline. */
    long[] gdprOpenNow(Tx tx, Instant now) throws SQLException {
        return counts(
                tx,
                "SELECT count(*), count(*) FILTER (WHERE coalesce(extended_until, due_at) < ?)"
                        + " FROM gdpr_requests WHERE status NOT IN ('completed', 'rejected')",
                List.of(ts(now)),
                2);
    }

    /**
     * Extensions granted in the period. The reason is free text about a person (the audit trail
     * keeps it encrypted with their key): a report says only that one was given and how long it
     * is; the request itself shows it to staff who handle it.
     */
    Rows gdprExtensions(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(tx, """
                SELECT a.at, g.id::text, g.type, g.due_at, g.extended_until,
                       CASE WHEN g.extension_reason IS NULL THEN 'no reason recorded'
                            ELSE 'reason given (' || length(g.extension_reason) || ' characters)' END
                  FROM audit_log a JOIN gdpr_requests g ON g.id::text = a.details ->> 'requestId'
                 WHERE a.action = 'gdpr.request_extended' AND a.at >= ? AND a.at < ?
                 ORDER BY a.at, a.seq LIMIT ?""", List.of(ts(from), ts(to), MAX_ROWS), 6);
    }

    /**
     * Erasure approvals in the period whose approver and verifier were one person's two accounts
     * by the four-eyes rule: the verifier had created, re-activated or changed the role of the
     * approving account before the approval, or that account was created after the request was
     * received. The approval refuses these; any row here predates the rule or went around it.
     */
    Rows linkedApprovals(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(tx, """
                SELECT g.approved_at, g.id::text, v.email, ap.email,
                       coalesce((SELECT 'the verifier ' || l.link || ' the approving account on '
                                        || to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                                   FROM staff_links l
                                  WHERE l.actor_id = g.verified_by AND l.subject_id = g.approved_by
                                    AND l.at < g.approved_at ORDER BY l.at DESC LIMIT 1),
                                CASE WHEN ap.created_at > g.received_at
                                     THEN 'the approving account was created after the request was received' END)
                  FROM gdpr_requests g
                  LEFT JOIN users v ON v.id = g.verified_by
                  LEFT JOIN users ap ON ap.id = g.approved_by
                 WHERE g.type = 'erasure' AND g.approved_at >= ? AND g.approved_at < ?
                   AND (ap.created_at > g.received_at
                        OR EXISTS (SELECT 1 FROM staff_links l WHERE l.actor_id = g.verified_by
                                      AND l.subject_id = g.approved_by AND l.at < g.approved_at))
                 ORDER BY g.approved_at, g.id LIMIT ?""", List.of(ts(from), ts(to), MAX_ROWS), 5);
    }

    /** Erasure approvals in the period. */
    long approvals(Tx tx, Instant from, Instant to) throws SQLException {
        return one(
                tx,
                "SELECT count(*) FROM gdpr_requests WHERE type = 'erasure' AND approved_at >= ? AND approved_at < ?",
                List.of(ts(from), ts(to)));
    }

    /** Erasure requests completed in the period. */
    long erasures(Tx tx, Instant from, Instant to) throws SQLException {
        return one(
                tx,
                "SELECT count(*) FROM gdpr_requests WHERE type = 'erasure' AND status = 'completed'"
                        + " AND completed_at >= ? AND completed_at < ?",
                List.of(ts(from), ts(to)));
    }

    /** Rows removed by retention runs in the period, per table. */
    Rows retentionRemoved(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(
                tx,
                "SELECT r.key, sum(r.value::bigint)::bigint FROM audit_log a, jsonb_each_text(a.details -> 'removed') r"
                        + " WHERE a.action = 'gdpr.retention_run' AND a.at >= ? AND a.at < ? GROUP BY r.key ORDER BY r.key",
                List.of(ts(from), ts(to)),
                2);
    }

    /** Every schema migration: version, description, when, checksum, success. */
    Rows migrations(Tx tx) throws SQLException {
        return rows(
                tx,
                "SELECT version, description, installed_on, checksum, success FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL ORDER BY installed_rank",
                List.of(),
                5);
    }

    /** Feature-flag changes in the period: when, by whom, which flag, what. */
    Rows flagChanges(Tx tx, Instant from, Instant to) throws SQLException {
        return rows(tx, """
                SELECT a.at, coalesce(u.email, 'system'), a.details ->> 'key',
                       CASE a.action WHEN 'flag.created' THEN 'created' ELSE 'changed' END,
                       (a.details -> 'after') ->> 'enabled', (a.details -> 'after') ->> 'percentage'
                  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
                 WHERE a.action IN ('flag.created', 'flag.updated') AND a.at >= ? AND a.at < ?
                 ORDER BY a.at, a.seq LIMIT ?""", List.of(ts(from), ts(to), MAX_ROWS), 6);
    }

    /** The {@code n} counts of a one-row query. */
    private static long[] counts(Tx tx, String sql, List<?> params, int n) throws SQLException {
        try (var ps = Statements.prepare(tx, sql, params);
                var rs = ps.executeQuery()) {
            rs.next();
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                counts[i] = rs.getLong(i + 1);
            }
            return counts;
        }
    }

    private static long one(Tx tx, String sql, List<?> params) throws SQLException {
        return Statements.one(tx, sql, params, rs -> rs.getLong(1)).orElse(0L);
    }

    private static Rows rows(Tx tx, String sql, List<?> params, int columns) throws SQLException {
        return new Rows(Statements.list(tx, sql, params, rs -> row(rs, columns)));
    }

    private static List<@Nullable Object> row(ResultSet rs, int columns) throws SQLException {
        var row = new ArrayList<@Nullable Object>(columns);
        for (int i = 1; i <= columns; i++) {
            Object value = rs.getObject(i);
            if (value instanceof Timestamp t) {
                value = t.toInstant();
            } else if (value instanceof java.sql.Date d) {
                value = d.toLocalDate();
            } else if (value instanceof java.math.BigDecimal b) {
                value = b.stripTrailingZeros().scale() <= 0 ? (Object) b.longValueExact() : b.doubleValue();
            }
            row.add(value);
        }
        return row;
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }
}
