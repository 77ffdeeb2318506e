package io.steward.server.audit;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for the append-only {@code audit_log} table. */
public final class AuditRepository {
    /** The chain's first link points at 32 zero bytes. */
    static final byte[] GENESIS = new byte[32];

    /**
     * Serialises appends across every server instance for the rest of the transaction, so the
     * chain order ({@code seq}) matches the order the hashes were computed in.
     */
    public void lockChain(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, 0x5374657761726441L); // "StewardA"
            ps.execute();
        }
    }

    /** Hash of the newest entry, or the genesis value for an empty log. */
    public byte[] lastHash(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : GENESIS.clone();
            }
        }
    }

    public void insert(
            Tx tx,
            UUID id,
            Instant at,
            @Nullable UUID actorId,
            String action,
            @Nullable UUID subjectId,
            @Nullable String requestId,
            String detailsJson,
            byte[] prevHash,
            byte[] hash)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO audit_log (id, at, actor_id, action, subject_id, request_id, details,"
                        + " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setObject(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, actorId);
            ps.setString(4, action);
            ps.setObject(5, subjectId);
            ps.setString(6, requestId);
            ps.setString(7, detailsJson);
            ps.setBytes(8, prevHash);
            ps.setBytes(9, hash);
            ps.executeUpdate();
        }
    }
}
