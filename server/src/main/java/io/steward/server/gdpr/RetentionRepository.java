package io.steward.server.gdpr;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** SQL of the retention job: count or delete rows older than a cutoff, table by table. */
public final class RetentionRepository {
    private static final long RETENTION_LOCK = 0x5374657761726452L; // "StewardR"

    /** Whether this transaction may run retention (no other instance is running it). */
    public boolean tryLock(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, RETENTION_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** When retention last ran for real (its audit entry), if it ever did. */
    public java.util.Optional<Instant> lastRun(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                        .prepareStatement(
                                "SELECT at FROM audit_log WHERE action = 'gdpr.retention_run' ORDER BY at DESC, seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getTimestamp(1).toInstant()) : java.util.Optional.empty();
        }
    }

    /** Rows of {@code table} whose {@code column} is before {@code cutoff} (names from code only). */
    public long count(Tx tx, String table, String column, Instant cutoff) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT count(*) FROM " + table + " WHERE " + column + " < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public long delete(Tx tx, String table, String column, Instant cutoff) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("DELETE FROM " + table + " WHERE " + column + " < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            return ps.executeUpdate();
        }
    }

    /**
     * Audit entries that would go: the run at the start of the chain before its first entry not
     * older than the cutoff, the cutoff brought back to the database's policy as the retention
     * function does.
     */
    public long countAuditPrefix(Tx tx, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("WITH c AS (SELECT least(?::timestamptz, now() - make_interval(days => keep_days)) AS"
                        + " cutoff FROM audit_retention_policy WHERE id = 1)"
                        + " SELECT count(*) FROM audit_log, c WHERE seq < coalesce("
                        + "(SELECT min(seq) FROM audit_log, c WHERE at >= c.cutoff), 9223372036854775807)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Removes that prefix and re-anchors the chain, through the one function that may
     * ({@code audit_retention_delete}, owned by the retention role): it never removes entries newer
     * than the database's own policy allows, whatever {@code cutoff} says.
     */
    public long deleteAuditPrefix(Tx tx, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT audit_retention_delete(?)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many days the database keeps audit entries (its owner sets it). */
    public int auditKeepDays(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                        tx.connection().prepareStatement("SELECT keep_days FROM audit_retention_policy WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Sets it; only the owner may. */
    public void setAuditKeepDays(Tx tx, int days) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("UPDATE audit_retention_policy SET keep_days = ? WHERE id = 1")) {
            ps.setInt(1, days);
            ps.executeUpdate();
        }
    }
}
