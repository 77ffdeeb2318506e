package io.steward.server.audit;

import io.steward.server.api.AuditCheckpoint;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** SQL of {@code audit_checkpoints}: the server may only insert and read them. */
final class AuditCheckpointRepository {

    void insert(Tx tx, AuditCheckpoint c) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature, instance)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, c.seq());
            ps.setBytes(2, HexFormat.of().parseHex(c.hash()));
            ps.setTimestamp(3, Timestamp.from(c.at()));
            ps.setString(4, c.keyId());
            ps.setBytes(5, Base64.getDecoder().decode(c.signature()));
            ps.setString(6, c.instance());
            ps.executeUpdate();
        }
    }

    /** Every checkpoint, oldest first. */
    List<AuditCheckpoint> all(Tx tx) throws SQLException {
        return select(tx, null, null);
    }

    /** Those written in {@code [from, to)}, oldest first. */
    List<AuditCheckpoint> between(Tx tx, Instant from, Instant to) throws SQLException {
        return select(tx, from, to);
    }

    private static List<AuditCheckpoint> select(Tx tx, @Nullable Instant from, @Nullable Instant to)
            throws SQLException {
        var out = new ArrayList<AuditCheckpoint>();
        each(tx, from, to, out::add);
        return out;
    }

    /**
     * Hands each checkpoint written in {@code [from, to)} (every one when {@code from} is null),
     * oldest first, to {@code sink} as it is read: a year of them need not fit in memory.
     */
    static void each(
            Tx tx, @Nullable Instant from, @Nullable Instant to, java.util.function.Consumer<AuditCheckpoint> sink)
            throws SQLException {
        String where = from == null ? "" : " WHERE at >= ? AND at < ?";
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT seq, hash, at, key_id, signature, instance FROM audit_checkpoints" + where
                        + " ORDER BY seq, at")) {
            ps.setFetchSize(1_000);
            if (from != null && to != null) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new AuditCheckpoint(
                            rs.getLong(1),
                            HexFormat.of().formatHex(rs.getBytes(2)),
                            rs.getTimestamp(3).toInstant(),
                            rs.getString(4),
                            Base64.getEncoder().encodeToString(rs.getBytes(5)),
                            rs.getString(6)));
                }
            }
        }
    }
}
