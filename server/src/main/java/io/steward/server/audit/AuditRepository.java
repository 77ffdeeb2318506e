package io.steward.server.audit;

import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * What the oldest remaining entry must point at: the genesis value, or, after retention
     * removed the oldest entries, the anchor it recorded.
     */
    public byte[] chainStart(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                        tx.connection().prepareStatement("SELECT prev_hash FROM audit_anchor WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : GENESIS.clone();
        }
    }

    /** Hash of the newest entry, or the genesis value for an empty log. */
    public byte[] lastHash(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : chainStart(tx);
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

    /** An audit row as stored; {@code details} is the jsonb text PostgreSQL gives back. */
    public record Row(
            long seq,
            UUID id,
            Instant at,
            @Nullable UUID actorId,
            String action,
            @Nullable UUID subjectId,
            @Nullable String requestId,
            String details,
            byte[] prevHash,
            byte[] hash) {}

    /** What an audit list asks for. */
    public record Query(
            Optional<String> action,
            Optional<UUID> actorId,
            Optional<UUID> subjectId,
            Optional<Instant> from,
            Optional<Instant> to,
            Optional<RequestScope> gdprRequest) {

        /** The entries about a subject, of every kind, in a period. */
        public static Query about(UUID subject, Optional<Instant> from, Optional<Instant> to) {
            return new Query(Optional.empty(), Optional.empty(), Optional.of(subject), from, to, Optional.empty());
        }
    }

    /**
     * The entries of one GDPR request: its steps (they name it), and the downloads of the
     * subject's data from {@code receivedAt} until it was answered ({@code answeredAt}; null while
     * open). The bounds are widened to whole milliseconds: the request's times and the entries'
     * are stored by different statements, rounded to the microsecond each.
     */
    public record RequestScope(
            UUID id, Instant receivedAt, @Nullable Instant answeredAt) {}

    private static final String COLUMNS =
            "seq, id, at, actor_id, action, subject_id, request_id, details::text, prev_hash, hash";

    /** One page, newest first, strictly after {@code after}; one row more than {@code limit}. */
    public List<Row> list(Tx tx, Query query, @Nullable Keyset after, int limit) throws SQLException {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE true");
        var params = new ArrayList<Object>();
        query.action().ifPresent(a -> {
            sql.append(" AND action = ?");
            params.add(a);
        });
        query.actorId().ifPresent(a -> {
            sql.append(" AND actor_id = ?");
            params.add(a);
        });
        query.subjectId().ifPresent(s -> {
            sql.append(" AND subject_id = ?");
            params.add(s);
        });
        query.gdprRequest().ifPresent(r -> {
            sql.append(" AND (details->>'requestId' = ? OR (action = 'gdpr.subject_exported' AND at >= ?");
            params.add(r.id().toString());
            params.add(Timestamp.from(r.receivedAt().truncatedTo(ChronoUnit.MILLIS)));
            if (r.answeredAt() != null) {
                sql.append(" AND at < ?");
                params.add(Timestamp.from(
                        r.answeredAt().truncatedTo(ChronoUnit.MILLIS).plusMillis(1)));
            }
            sql.append("))");
        });
        query.from().ifPresent(f -> {
            sql.append(" AND at >= ?");
            params.add(Timestamp.from(f));
        });
        query.to().ifPresent(t -> {
            sql.append(" AND at < ?");
            params.add(Timestamp.from(t));
        });
        if (after != null) {
            sql.append(" AND (at, seq) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.sequence());
        }
        sql.append(" ORDER BY at DESC, seq DESC LIMIT ?");
        params.add(limit + 1);
        try (PreparedStatement ps = Statements.prepare(tx, sql.toString(), params)) {
            try (ResultSet rs = ps.executeQuery()) {
                var rows = new ArrayList<Row>();
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        }
    }

    /** The digest recorded by the last {@code gdpr.subject_exported} entry about a subject since a moment. */
    public Optional<String> lastExportDigest(Tx tx, UUID subject, Instant since) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT details->>'sha256' FROM audit_log WHERE subject_id = ?"
                        + " AND action = 'gdpr.subject_exported' AND at >= ? ORDER BY at DESC, seq DESC LIMIT 1")) {
            ps.setObject(1, subject);
            // whole milliseconds: the moment and the entries are rounded to the microsecond apart
            ps.setTimestamp(2, Timestamp.from(since.truncatedTo(ChronoUnit.MILLIS)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The current names of these users (actors of entries), by id. */
    public Map<UUID, String> names(Tx tx, Collection<UUID> ids) throws SQLException {
        var out = new HashMap<UUID, String>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT id, name FROM users WHERE id = ANY (?)")) {
            ps.setArray(1, tx.connection().createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Visits the whole chain in order, reading it in batches. Stops when {@code visitor} says so. */
    public void walk(Tx tx, Visitor visitor) throws SQLException {
        walkAfter(tx, Long.MIN_VALUE, visitor);
    }

    /** As {@link #walk}, from the first entry after {@code seq}. */
    public void walkAfter(Tx tx, long seq, Visitor visitor) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, seq);
            ps.setFetchSize(5_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!visitor.visit(row(rs))) {
                        return;
                    }
                }
            }
        }
    }

    /** Makes the rest of the transaction see one snapshot (its first statement). */
    public void snapshot(Tx tx) throws SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
        }
    }

    /** The hash of entry {@code seq}, if it is there. */
    public Optional<byte[]> hashAt(Tx tx, long seq) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** The newest entry's sequence number and hash, if there is one. */
    public Optional<Head> head(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                        tx.connection().prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Head(rs.getLong(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    /** An entry's place in the chain. */
    public record Head(long seq, byte[] hash) {}

    /** The first sequence number retention kept (entries before it were removed), or 0. */
    public long firstKeptSeq(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                        tx.connection().prepareStatement("SELECT first_seq FROM audit_anchor WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Sees one row of the chain; returns whether to go on. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(Row row) throws SQLException;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong(1),
                rs.getObject(2, UUID.class),
                rs.getTimestamp(3).toInstant(),
                rs.getObject(4, UUID.class),
                rs.getString(5),
                rs.getObject(6, UUID.class),
                rs.getString(7),
                rs.getString(8),
                rs.getBytes(9),
                rs.getBytes(10));
    }
}
