package io.steward.server.alerts;

import io.steward.server.api.SilenceState;
import io.steward.server.api.SilenceView;
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
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code silences}. */
public final class SilenceRepository {
    private static final String SILENCE_COLUMNS =
            "id, matcher, reason, created_by, starts_at, ends_at, created_at, ended_at, ended_by,"
                    + " (SELECT u.name FROM users u WHERE u.id = silences.created_by)";

    public void insertSilence(Tx tx, UUID id, String matcher, String reason, UUID by, Instant startsAt, Instant endsAt)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "INSERT INTO silences (id, matcher, reason, created_by, starts_at, ends_at, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, matcher);
            ps.setString(3, reason);
            ps.setObject(4, by);
            ps.setTimestamp(5, Timestamp.from(startsAt));
            ps.setTimestamp(6, Timestamp.from(endsAt));
            ps.setTimestamp(7, Timestamp.from(startsAt));
            ps.executeUpdate();
        }
    }

    public void endSilence(Tx tx, UUID id, UUID by, Instant at) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("UPDATE silences SET ended_at = ?, ended_by = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, by);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    public Optional<SilenceView> silence(Tx tx, UUID id, Instant now) throws SQLException {
        return Statements.one(
                tx,
                "SELECT " + SILENCE_COLUMNS + " FROM silences WHERE id = ? FOR UPDATE",
                List.of(id),
                rs -> silence(rs, now));
    }

    /** Silences newest-ending first; only those in force at {@code now} when {@code activeOnly}. */
    public List<SilenceView> silences(Tx tx, Instant now, boolean activeOnly, int limit, @Nullable Keyset after)
            throws SQLException {
        var sql = new StringBuilder("SELECT " + SILENCE_COLUMNS + " FROM silences WHERE true");
        var params = new ArrayList<Object>();
        if (activeOnly) {
            sql.append(" AND ended_at IS NULL AND ends_at > ? AND starts_at <= ?");
            params.add(Timestamp.from(now));
            params.add(Timestamp.from(now));
        }
        if (after != null) {
            sql.append(" AND (ends_at, id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.uuid());
        }
        sql.append(" ORDER BY ends_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return Statements.list(tx, sql.toString(), params, rs -> silence(rs, now));
    }

    private static SilenceView silence(ResultSet rs, Instant now) throws SQLException {
        Instant endsAt = rs.getTimestamp(6).toInstant();
        Instant endedAt = AlertRepository.instant(rs, 8);
        boolean active = endedAt == null && endsAt.isAfter(now);
        return new SilenceView(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, UUID.class),
                java.util.Objects.requireNonNullElse(rs.getString(10), ""),
                rs.getTimestamp(5).toInstant(),
                endsAt,
                rs.getTimestamp(7).toInstant(),
                endedAt,
                rs.getObject(9, UUID.class),
                active ? SilenceState.ACTIVE : SilenceState.EXPIRED,
                List.of());
    }
}
