package io.steward.server.reports;

import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The evidence behind the reports about people and records: staff access, GDPR requests, the
 * audit trail and changes. Each method is one aggregate query over indexed tables, for a period
 * {@code [from, to)}; nothing loads the rows it counts. Lists of evidence are capped at {@link
 * #MAX_ROWS}. {@link OperationsRepository} has the evidence of operations.
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

    /** The staff accounts of one role: active (and not deleted), and the others. */
    record StaffRole(String role, long active, long inactive) {}

    /** A role granted or changed: when, by whom ("system" when by nobody), whose, the role now, before and after. */
    record RoleChange(
            Instant at,
            String by,
            @Nullable String account,
            @Nullable String roleNow,
            @Nullable String roleBefore,
            @Nullable String roleAfter) {}

    /** An active staff account nobody has signed in to for long. */
    record DormantAccount(
            String email, String role, @Nullable Instant lastLogin, Instant created) {}

    /** How many requests of one type are in one state. */
    record RequestCount(String type, String status, long count) {}

    /** Requests completed: how many, how many late, the median days from receipt to completion. */
    record Completion(long completed, long late, @Nullable BigDecimal medianDays) {}

    /** Requests open at the period's end, and of those the ones past their deadline then. */
    record OpenRequests(long open, long overdue) {}

    /** An extension granted: when, of which request, its type and deadlines, and whether a reason was given. */
    record Extension(
            Instant at,
            String request,
            String type,
            Instant due,
            @Nullable Instant extendedUntil,
            String reason) {}

    /** An erasure approval whose approver was linked to the verifier, and how. */
    record LinkedApproval(
            Instant approvedAt,
            String request,
            @Nullable String verifiedBy,
            @Nullable String approvedBy,
            @Nullable String link) {}

    /** Rows removed from one table by retention. */
    record Removed(String table, long rows) {}

    /** A schema migration as Flyway recorded it. */
    record Migration(
            String version,
            String description,
            Instant installedOn,
            @Nullable Integer checksum,
            boolean success) {}

    /** A feature-flag change: when, by whom, which flag, created or changed, and its state after. */
    record FlagChange(
            Instant at,
            String by,
            @Nullable String flag,
            String change,
            @Nullable String enabled,
            @Nullable String percentage) {}

    /** Staff accounts per role: active and not. */
    List<StaffRole> staffByRole(Tx tx) throws SQLException {
        return Statements.list(
                tx,
                "SELECT role, count(*) FILTER (WHERE active AND deleted_at IS NULL),"
                        + " count(*) FILTER (WHERE NOT active OR deleted_at IS NOT NULL)"
                        + " FROM users WHERE role IN ('admin', 'auditor', 'support') GROUP BY role ORDER BY role",
                List.of(),
                rs -> new StaffRole(rs.getString(1), rs.getLong(2), rs.getLong(3)));
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
    List<RoleChange> roleChanges(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                """
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
                 ORDER BY a.at, a.seq LIMIT ?""",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new RoleChange(
                        instant(rs, 1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)));
    }

    /**
     * Staff accounts active now that, at {@code end}, had not been signed in to for {@code days}
     * (or, never signed in, had been created that long before): their last sign-in before {@code
     * end} is taken from the audit trail, or from {@code last_login} when that is before {@code
     * end}, so a sign-in after the period does not change what the period's end looked like.
     */
    List<DormantAccount> dormantStaff(Tx tx, Instant end, int days) throws SQLException {
        return Statements.list(
                tx,
                """
                SELECT u.email, u.role, s.last, u.created_at
                  FROM users u
                 CROSS JOIN LATERAL (SELECT greatest(
                        (SELECT max(a.at) FROM audit_log a
                          WHERE a.subject_id = u.id AND a.action = 'auth.login' AND a.at < ?),
                        CASE WHEN u.last_login < ? THEN u.last_login END) AS last) s
                 WHERE u.role IN ('admin', 'auditor', 'support') AND u.active AND u.deleted_at IS NULL
                   AND u.created_at < ? AND coalesce(s.last, u.created_at) < ?
                 ORDER BY coalesce(s.last, u.created_at), u.email LIMIT ?""",
                List.of(ts(end), ts(end), ts(end), ts(end.minus(java.time.Duration.ofDays(days))), MAX_ROWS),
                rs -> new DormantAccount(rs.getString(1), rs.getString(2), instantOrNull(rs, 3), instant(rs, 4)));
    }

    /** GDPR requests received in the period, per type and state. */
    List<RequestCount> gdprByTypeAndStatus(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                "SELECT type, status, count(*) FROM gdpr_requests WHERE received_at >= ? AND received_at < ?"
                        + " GROUP BY type, status ORDER BY type, status",
                List.of(ts(from), ts(to)),
                rs -> new RequestCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    /**
     * Requests completed in the period: how many, how many after their deadline (extended where it
     * was), and the median days from receipt to completion.
     */
    Completion gdprCompletion(Tx tx, Instant from, Instant to) throws SQLException {
        return first(
                tx,
                "SELECT count(*), count(*) FILTER (WHERE completed_at > coalesce(extended_until, due_at)),"
                        + " round((percentile_cont(0.5) WITHIN GROUP"
                        + " (ORDER BY extract(epoch FROM completed_at - received_at)) / 86400)::numeric, 1)"
                        + " FROM gdpr_requests WHERE status = 'completed' AND completed_at >= ? AND completed_at < ?",
                List.of(ts(from), ts(to)),
                rs -> new Completion(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3)));
    }

    /**
     * Requests open at {@code end} (received before it, neither completed nor rejected before it),
     * and of those the ones past their deadline then. A rejection has no time of its own: a
     * rejected request counts as open at {@code end} only when its audit entry is from then or later.
     */
    OpenRequests gdprOpenAt(Tx tx, Instant end) throws SQLException {
        return first(
                tx,
                """
                SELECT count(*), count(*) FILTER (WHERE coalesce(g.extended_until, g.due_at) < ?)
                  FROM gdpr_requests g
                 WHERE g.received_at < ?
                   AND NOT (g.status = 'completed' AND (g.completed_at IS NULL OR g.completed_at < ?))
                   AND NOT (g.status = 'rejected' AND NOT EXISTS (
                            SELECT 1 FROM audit_log a WHERE a.action = 'gdpr.request_rejected' AND a.at >= ?
                               AND a.details ->> 'requestId' = g.id::text))""",
                List.of(ts(end), ts(end), ts(end), ts(end)),
                rs -> new OpenRequests(rs.getLong(1), rs.getLong(2)));
    }

    /**
     * Extensions granted in the period. The reason is free text about a person (the audit trail
     * keeps it encrypted with their key): a report says only that one was given and how long it
     * is; the request itself shows it to staff who handle it.
     */
    List<Extension> gdprExtensions(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                """
                SELECT a.at, g.id::text, g.type, g.due_at, g.extended_until,
                       CASE WHEN g.extension_reason IS NULL THEN 'no reason recorded'
                            ELSE 'reason given (' || length(g.extension_reason) || ' characters)' END
                  FROM audit_log a JOIN gdpr_requests g ON g.id::text = a.details ->> 'requestId'
                 WHERE a.action = 'gdpr.request_extended' AND a.at >= ? AND a.at < ?
                 ORDER BY a.at, a.seq LIMIT ?""",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new Extension(
                        instant(rs, 1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs, 4),
                        instantOrNull(rs, 5),
                        rs.getString(6)));
    }

    /**
     * Erasure approvals in the period whose approver and verifier were one person's two accounts
     * by the four-eyes rule: the verifier had created, re-activated or changed the role of the
     * approving account before the approval, or that account was created after the request was
     * received. The approval refuses these; any row here predates the rule or went around it.
     */
    List<LinkedApproval> linkedApprovals(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                """
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
                 ORDER BY g.approved_at, g.id LIMIT ?""",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new LinkedApproval(
                        instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
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
    List<Removed> retentionRemoved(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                "SELECT r.key, sum(r.value::bigint)::bigint FROM audit_log a, jsonb_each_text(a.details -> 'removed') r"
                        + " WHERE a.action = 'gdpr.retention_run' AND a.at >= ? AND a.at < ? GROUP BY r.key ORDER BY r.key",
                List.of(ts(from), ts(to)),
                rs -> new Removed(rs.getString(1), rs.getLong(2)));
    }

    /** Every schema migration: version, description, when, checksum, success. */
    List<Migration> migrations(Tx tx) throws SQLException {
        return Statements.list(
                tx,
                "SELECT version, description, installed_on, checksum, success FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL ORDER BY installed_rank",
                List.of(),
                rs -> new Migration(
                        rs.getString(1),
                        rs.getString(2),
                        instant(rs, 3),
                        rs.getObject(4, Integer.class),
                        rs.getBoolean(5)));
    }

    /**
     * When the evidence starts: the installation (its first schema migration) or the first audit
     * entry, whichever is earlier; once retention has removed the oldest entries, the oldest entry
     * kept (what came before is gone). Null when nothing was recorded.
     */
    @Nullable
    Instant evidenceStart(Tx tx) throws SQLException {
        var found = Statements.list(tx, """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM audit_anchor WHERE removed > 0)
                            THEN coalesce((SELECT min(at) FROM audit_log), (SELECT anchored_at FROM audit_anchor))
                            ELSE least((SELECT min(installed_on) FROM flyway_schema_history WHERE version IS NOT NULL),
                                       (SELECT min(at) FROM audit_log)) END""", List.of(), rs -> java.util.Optional.ofNullable(instantOrNull(rs, 1)));
        return found.getFirst().orElse(null);
    }

    /** A signed checkpoint of the audit chain's head: the entry, when, with which key, by which instance. */
    record Checkpoint(long seq, Instant at, String keyId, String instance) {}

    /** The newest checkpoint signed before {@code end}; null when there is none. */
    @Nullable
    Checkpoint latestCheckpoint(Tx tx, Instant end) throws SQLException {
        var found = Statements.list(
                tx,
                "SELECT seq, at, key_id, instance FROM audit_checkpoints WHERE at < ? ORDER BY seq DESC, at DESC LIMIT 1",
                List.of(ts(end)),
                rs -> new Checkpoint(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4)));
        return found.isEmpty() ? null : found.getFirst();
    }

    /** Feature-flag changes in the period: when, by whom, which flag, what. */
    List<FlagChange> flagChanges(Tx tx, Instant from, Instant to) throws SQLException {
        return Statements.list(
                tx,
                """
                SELECT a.at, coalesce(u.email, 'system'), a.details ->> 'key',
                       CASE a.action WHEN 'flag.created' THEN 'created' ELSE 'changed' END,
                       (a.details -> 'after') ->> 'enabled', (a.details -> 'after') ->> 'percentage'
                  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
                 WHERE a.action IN ('flag.created', 'flag.updated') AND a.at >= ? AND a.at < ?
                 ORDER BY a.at, a.seq LIMIT ?""",
                List.of(ts(from), ts(to), MAX_ROWS),
                rs -> new FlagChange(
                        instant(rs, 1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6)));
    }

    // the reading both report repositories share

    /** The one row an aggregate query without GROUP BY always returns. */
    static <T> T first(Tx tx, String sql, List<?> params, Statements.Row<T> row) throws SQLException {
        return Statements.one(tx, sql, params, row).orElseThrow();
    }

    /** The count a one-row query returns (none: 0). */
    static long one(Tx tx, String sql, List<?> params) throws SQLException {
        return Statements.one(tx, sql, params, rs -> rs.getLong(1)).orElse(0L);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    static @Nullable Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }
}
