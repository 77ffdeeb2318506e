package io.steward.server.gdpr;

import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.Role;
import io.steward.server.api.WireName;
import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for {@code gdpr_requests} and their Art. 19 recipients. */
public final class GdprRepository {

    /** A request row as stored. */
    public record Row(
            UUID id,
            UUID userId,
            GdprType type,
            GdprStatus status,
            Instant receivedAt,
            Instant dueAt,
            @Nullable Instant extendedUntil,
            @Nullable String extensionReason,
            @Nullable UUID verifiedBy,
            @Nullable Instant verifiedAt,
            @Nullable UUID approvedBy,
            @Nullable Instant approvedAt,
            @Nullable UUID completedBy,
            @Nullable Instant completedAt,
            @Nullable String rejectedReason,
            @Nullable String note,
            @Nullable String evidenceSha256,
            long version,
            @Nullable String subjectName,
            @Nullable String subjectEmail,
            boolean subjectIsStaff) {

        public Instant deadline() {
            return extendedUntil != null ? extendedUntil : dueAt;
        }
    }

    /** What a queue view asks for. */
    public record Query(
            Set<GdprStatus> status, Optional<GdprType> type, Optional<Instant> overdueAt, Optional<UUID> userId) {}

    private static final String COLUMNS = "id, user_id, type, status, received_at, due_at, extended_until,"
            + " extension_reason, verified_by, verified_at, approved_by, approved_at, completed_by, completed_at,"
            + " rejected_reason, note, evidence_sha256, version,"
            + " (SELECT name FROM users u WHERE u.id = gdpr_requests.user_id) AS subject_name,"
            + " (SELECT email FROM users u WHERE u.id = gdpr_requests.user_id) AS subject_email,"
            + " (SELECT role FROM users u WHERE u.id = gdpr_requests.user_id) AS subject_role";

    public void insert(
            Tx tx,
            UUID id,
            UUID userId,
            GdprType type,
            Instant receivedAt,
            Instant dueAt,
            @Nullable String note,
            UUID createdBy)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO gdpr_requests (id, user_id, type,"
                        + " status, received_at, due_at, note, created_by) VALUES (?, ?, ?, 'received', ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, userId);
            ps.setString(3, type.wireName());
            ps.setTimestamp(4, Timestamp.from(receivedAt));
            ps.setTimestamp(5, Timestamp.from(dueAt));
            ps.setString(6, note);
            ps.setObject(7, createdBy);
            ps.executeUpdate();
        }
    }

    public void addRecipient(Tx tx, UUID requestId, String name) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO gdpr_request_recipients (request_id, name) VALUES (?, ?)")) {
            ps.setObject(1, requestId);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Marks a recipient notified; false if the request has no such recipient. */
    public boolean markNotified(Tx tx, UUID requestId, String name, UUID by, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE gdpr_request_recipients SET"
                        + " notified_at = coalesce(notified_at, ?), notified_by = coalesce(notified_by, ?)"
                        + " WHERE request_id = ? AND name = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, by);
            ps.setObject(3, requestId);
            ps.setString(4, name);
            return ps.executeUpdate() == 1;
        }
    }

    public List<GdprRequestView.Recipient> recipients(Tx tx, UUID requestId) throws SQLException {
        return recipients(tx, List.of(requestId)).getOrDefault(requestId, List.of());
    }

    /** The recipients of each of {@code requests}, in one query (absent: none). */
    public Map<UUID, List<GdprRequestView.Recipient>> recipients(Tx tx, List<UUID> requests) throws SQLException {
        var out = new java.util.HashMap<UUID, List<GdprRequestView.Recipient>>();
        if (requests.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT request_id, name, notified_at, notified_by"
                        + " FROM gdpr_request_recipients WHERE request_id = ANY (?) ORDER BY request_id, name")) {
            ps.setArray(1, tx.connection().createArrayOf("uuid", requests.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new GdprRequestView.Recipient(
                                    rs.getString(2), instant(rs, "notified_at"), rs.getObject(4, UUID.class)));
                }
            }
        }
        return out;
    }

    public Optional<Row> find(Tx tx, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "SELECT " + COLUMNS + " FROM gdpr_requests WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Moves a request to {@code status}, setting the given columns ({@code column → value}, names
     * from this class's code only) and moving the version on.
     */
    public void transition(Tx tx, UUID id, GdprStatus status, Map<String, @Nullable Object> columns)
            throws SQLException {
        var sql = new StringBuilder("UPDATE gdpr_requests SET status = ?, version = version + 1");
        columns.keySet().forEach(column -> sql.append(", ").append(column).append(" = ?"));
        sql.append(" WHERE id = ?");
        try (PreparedStatement ps = tx.connection().prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, status.wireName());
            for (Object value : columns.values()) {
                ps.setObject(i++, value instanceof Instant at ? Timestamp.from(at) : value);
            }
            ps.setObject(i, id);
            ps.executeUpdate();
        }
    }

    /** One page of requests, most recently received first; one row more than {@code limit}. */
    public List<Row> list(Tx tx, Query query, @Nullable Keyset after, int limit) throws SQLException {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM gdpr_requests WHERE true");
        var params = new ArrayList<Object>();
        if (!query.status().isEmpty()) {
            sql.append(" AND status IN (")
                    .append(Statements.placeholders(query.status().size()))
                    .append(")");
            query.status().forEach(s -> params.add(s.wireName()));
        }
        query.type().ifPresent(t -> {
            sql.append(" AND type = ?");
            params.add(t.wireName());
        });
        query.userId().ifPresent(u -> {
            sql.append(" AND user_id = ?");
            params.add(u);
        });
        query.overdueAt().ifPresent(now -> {
            // served by the partial index on open requests' deadlines
            sql.append(" AND status NOT IN ('completed', 'rejected') AND coalesce(extended_until, due_at) < ?");
            params.add(Timestamp.from(now));
        });
        if (after != null) {
            sql.append(" AND (received_at, id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.uuid());
        }
        sql.append(" ORDER BY received_at DESC, id DESC LIMIT ?");
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

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                WireName.of(GdprType.class, rs.getString("type")),
                WireName.of(GdprStatus.class, rs.getString("status")),
                rs.getTimestamp("received_at").toInstant(),
                rs.getTimestamp("due_at").toInstant(),
                instant(rs, "extended_until"),
                rs.getString("extension_reason"),
                rs.getObject("verified_by", UUID.class),
                instant(rs, "verified_at"),
                rs.getObject("approved_by", UUID.class),
                instant(rs, "approved_at"),
                rs.getObject("completed_by", UUID.class),
                instant(rs, "completed_at"),
                rs.getString("rejected_reason"),
                rs.getString("note"),
                rs.getString("evidence_sha256"),
                rs.getLong("version"),
                rs.getString("subject_name"),
                rs.getString("subject_email"),
                rs.getString("subject_role") != null
                        && Role.fromWire(rs.getString("subject_role")).isStaff());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
