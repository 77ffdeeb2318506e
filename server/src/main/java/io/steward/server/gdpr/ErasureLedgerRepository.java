package io.steward.server.gdpr;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for {@code erasure_ledger}, the database's copy of the erasure ledger. */
public final class ErasureLedgerRepository {
    private static final String COLUMNS =
            "seq, subject_id, request_id, completed_at, approved_by, completed_by, prev_hash, hash";

    /**
     * Appends the erasure of {@code subject} in the caller's transaction; concurrent appends wait
     * for each other, so the chain never forks.
     */
    public ErasureLedger.Entry append(
            Tx tx,
            UUID subject,
            UUID request,
            Instant completedAt,
            @Nullable UUID approvedBy,
            @Nullable UUID completedBy)
            throws SQLException {
        try (var statement = tx.connection().prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            // readers (backups, the file's mirror) go on; a second append waits for this commit
            statement.setLong(1, 0x537465776172644CL); // "StewardL"
            statement.execute();
        }
        List<ErasureLedger.Entry> last = select(tx, " ORDER BY seq DESC LIMIT 1", null);
        var entry = ErasureLedger.Entry.next(
                last.isEmpty() ? null : last.getFirst(), subject, request, completedAt, approvedBy, completedBy);
        insert(tx, entry);
        return entry;
    }

    /** Stores an entry made elsewhere (replayed from another copy of the ledger), hash and all. */
    public void insert(Tx tx, ErasureLedger.Entry entry) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO erasure_ledger (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, entry.seq());
            ps.setObject(2, entry.subjectId());
            ps.setObject(3, entry.requestId());
            ps.setTimestamp(4, Timestamp.from(entry.completedAt()));
            ps.setObject(5, entry.approvedBy());
            ps.setObject(6, entry.completedBy());
            ps.setString(7, entry.prevHash());
            ps.setString(8, entry.hash());
            ps.executeUpdate();
        }
    }

    /** The whole chain, oldest first. */
    public List<ErasureLedger.Entry> all(Tx tx) throws SQLException {
        return select(tx, " ORDER BY seq", null);
    }

    /** The entries after {@code seq}, oldest first. */
    public List<ErasureLedger.Entry> after(Tx tx, long seq) throws SQLException {
        return select(tx, " WHERE seq > ? ORDER BY seq", seq);
    }

    private static List<ErasureLedger.Entry> select(Tx tx, String rest, @Nullable Long seq) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT " + COLUMNS + " FROM erasure_ledger" + rest)) {
            if (seq != null) {
                ps.setLong(1, seq);
            }
            try (ResultSet rs = ps.executeQuery()) {
                var entries = new ArrayList<ErasureLedger.Entry>();
                while (rs.next()) {
                    entries.add(new ErasureLedger.Entry(
                            rs.getLong(1),
                            rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class),
                            rs.getTimestamp(4).toInstant(),
                            rs.getObject(5, UUID.class),
                            rs.getObject(6, UUID.class),
                            rs.getString(7),
                            rs.getString(8)));
                }
                return entries;
            }
        }
    }

    /**
     * Whether the data already shows this erasure: the subject is anonymised (or was never in
     * this database) and their audit key is destroyed (or never existed).
     */
    public boolean reflected(Tx tx, UUID subject) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "SELECT NOT EXISTS (SELECT 1 FROM users WHERE id = ? AND NOT anonymized)"
                                + " AND NOT EXISTS (SELECT 1 FROM subject_keys WHERE subject_id = ? AND key_material IS NOT NULL)")) {
            ps.setObject(1, subject);
            ps.setObject(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Records the erasure request of {@code entry} as completed, when this database has it open;
     * the completing staff member is named if this database knows them.
     */
    public void completeRequest(Tx tx, ErasureLedger.Entry entry) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE gdpr_requests SET status = 'completed', completed_at = ?,"
                        + " completed_by = (SELECT id FROM users WHERE id = ?), version = version + 1"
                        + " WHERE id = ? AND status <> 'completed'")) {
            ps.setTimestamp(1, Timestamp.from(entry.completedAt()));
            ps.setObject(2, entry.completedBy());
            ps.setObject(3, entry.requestId());
            ps.executeUpdate();
        }
    }

    /** The newest entry's seq; 0 for an empty ledger. */
    public long lastSeq(Tx tx) throws SQLException {
        return single(tx, "SELECT coalesce(max(seq), 0) FROM erasure_ledger");
    }

    /** Up to which entry the destroyed keys are known to have left {@code subject_keys}; 0 if none. */
    public long lastShredded(Tx tx) throws SQLException {
        return single(
                tx,
                "SELECT coalesce(max((details->>'ledgerSeq')::bigint), 0) FROM audit_log" + " WHERE action = '"
                        + ErasureLedgerService.SHREDDED + "'");
    }

    private static long single(Tx tx, String sql) throws SQLException {
        try (var statement = tx.connection().createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
