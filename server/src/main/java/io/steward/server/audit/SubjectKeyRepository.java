package io.steward.server.audit;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code subject_keys}: one data key per person whose personal values the audit trail holds. */
public final class SubjectKeyRepository {

    /** The subject's key, created with {@code fresh} if there is none; empty once destroyed. */
    public Optional<byte[]> keyFor(Tx tx, UUID subject, byte[] fresh, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO subject_keys (subject_id,"
                        + " key_material, created_at) VALUES (?, ?, ?) ON CONFLICT (subject_id) DO NOTHING")) {
            ps.setObject(1, subject);
            ps.setBytes(2, fresh);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
        return keys(tx, java.util.List.of(subject)).entrySet().stream()
                .findFirst()
                .map(Map.Entry::getValue);
    }

    /** The live keys of these subjects; destroyed ones are absent. */
    public Map<UUID, byte[]> keys(Tx tx, Collection<UUID> subjects) throws SQLException {
        var out = new HashMap<UUID, byte[]>();
        if (subjects.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT subject_id, key_material FROM subject_keys"
                        + " WHERE subject_id = ANY (?) AND key_material IS NOT NULL")) {
            ps.setArray(1, tx.connection().createArrayOf("uuid", subjects.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getBytes(2));
                }
            }
        }
        return out;
    }

    /** Crypto-shredding: the key is gone, so every value encrypted with it is unreadable for good. */
    public void destroy(Tx tx, UUID subject, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "INSERT INTO subject_keys (subject_id,"
                                + " key_material, created_at, destroyed_at) VALUES (?, NULL, ?, ?) ON CONFLICT (subject_id)"
                                + " DO UPDATE SET key_material = NULL, destroyed_at = coalesce(subject_keys.destroyed_at, ?)")) {
            ps.setObject(1, subject);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** This transaction's id (32 bits, as PostgreSQL's {@code xid}), for {@link #snapshotsSince}. */
    public String transactionId(Tx tx) throws SQLException {
        try (var statement = tx.connection().createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Whether every session this role can see, and every replication slot, started its snapshot
     * after transaction {@code xid} ended: only then may a vacuum drop the rows it replaced.
     */
    public boolean snapshotsSince(Tx tx, String xid) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                        + " AND (age(backend_xmin) >= age(?::xid) OR age(backend_xid) >= age(?::xid)))"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE age(xmin) >= age(?::xid))"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE age(transaction) >= age(?::xid))")) {
            for (int i = 1; i <= 4; i++) {
                ps.setString(i, xid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Rewrites {@code subject_keys} without its dead rows ({@code VACUUM FULL}, run outside a
     * transaction): a destroyed key's bytes leave the table's file, which PostgreSQL replaces by the
     * rewritten one. Waits at most {@code lockTimeout} for the table; throws if it cannot have it.
     */
    public void shred(Tx tx, java.time.Duration lockTimeout) throws SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("SET lock_timeout = " + lockTimeout.toMillis());
            try {
                statement.execute("VACUUM (FULL) subject_keys");
                // without the privilege PostgreSQL only warns and skips the table
                for (var w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                    if (String.valueOf(w.getMessage()).contains("permission denied")) {
                        throw new SQLException("cannot rewrite subject_keys: " + w.getMessage(), "42501");
                    }
                }
            } finally {
                statement.execute("RESET lock_timeout");
            }
        }
    }
}
