package io.steward.server.gdpr;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    /** Audit entries that would go: the whole prefix of the chain up to the last one before the cutoff. */
    public long countAuditPrefix(Tx tx, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT count(*) FROM audit_log WHERE seq <="
                        + " (SELECT max(seq) FROM audit_log WHERE at < ?)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Removes that prefix and re-anchors the chain: the anchor holds the hash the first remaining
     * entry points at, so verification starts there instead of at the genesis value.
     */
    public long deleteAuditPrefix(Tx tx, Instant cutoff, Instant now) throws SQLException {
        try (Statement s = tx.connection().createStatement()) {
            s.execute("SET LOCAL steward.audit_retention = 'on'");
        }
        long removed;
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "DELETE FROM audit_log WHERE seq <=" + " (SELECT max(seq) FROM audit_log WHERE at < ?)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            removed = ps.executeUpdate();
        }
        try (Statement s = tx.connection().createStatement()) {
            s.execute("SET LOCAL steward.audit_retention = 'off'");
        }
        if (removed > 0) {
            try (PreparedStatement ps = tx.connection()
                    .prepareStatement("INSERT INTO audit_anchor (id, prev_hash,"
                            + " first_seq, removed, anchored_at) SELECT 1, prev_hash, seq, ?, ? FROM audit_log ORDER BY seq"
                            + " LIMIT 1 ON CONFLICT (id) DO UPDATE SET prev_hash = EXCLUDED.prev_hash,"
                            + " first_seq = EXCLUDED.first_seq, removed = audit_anchor.removed + EXCLUDED.removed,"
                            + " anchored_at = EXCLUDED.anchored_at")) {
                ps.setLong(1, removed);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.executeUpdate();
            }
        }
        return removed;
    }
}
