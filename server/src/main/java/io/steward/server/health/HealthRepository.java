package io.steward.server.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.HealthChange;
import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code health_history}: each change of a check's status, kept for uptime figures. */
public final class HealthRepository {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper mapper;

    public HealthRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Tx tx, List<HealthChange> changes) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO health_history (checked_at, check_name, status, latency_ms, details)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb)")) {
            for (HealthChange c : changes) {
                ps.setTimestamp(1, Timestamp.from(c.at()));
                ps.setString(2, c.check());
                ps.setString(3, c.status());
                ps.setLong(4, c.latencyMs());
                ps.setObject(5, json(c.details()), Types.OTHER);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records that this instance's checks ran until {@code at} in the stretch {@code id}, which
     * starts at {@code at} when new.
     */
    public void cover(Tx tx, UUID id, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO health_coverage (id, started_at, seen_until) VALUES (?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET seen_until = greatest(health_coverage.seen_until,"
                        + " excluded.seen_until)")) {
            ps.setObject(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    /** Filters of the history list. */
    public record Query(Optional<String> check, Optional<Instant> from, Optional<Instant> to) {}

    /** Newest first, after {@code after} when given. */
    public List<HealthChange> list(Tx tx, Query query, int limit, @Nullable Keyset after) throws SQLException {
        var sql = new StringBuilder(
                "SELECT id, checked_at, check_name, status, latency_ms, details FROM health_history WHERE true");
        var params = new ArrayList<Object>();
        query.check().ifPresent(c -> {
            sql.append(" AND check_name = ?");
            params.add(c);
        });
        query.from().ifPresent(f -> {
            sql.append(" AND checked_at >= ?");
            params.add(Timestamp.from(f));
        });
        query.to().ifPresent(t -> {
            sql.append(" AND checked_at < ?");
            params.add(Timestamp.from(t));
        });
        if (after != null) {
            sql.append(" AND (checked_at, id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.sequence());
        }
        sql.append(" ORDER BY checked_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return Statements.list(
                tx,
                sql.toString(),
                params,
                rs -> new HealthChange(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        parse(rs.getString(6))));
    }

    private String json(Map<String, Object> details) {
        try {
            return mapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("health details must be plain values", e);
        }
    }

    private Map<String, Object> parse(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health_history.details is not a JSON object", e);
        }
    }
}
