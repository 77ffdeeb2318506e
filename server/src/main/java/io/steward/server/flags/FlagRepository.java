package io.steward.server.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.FlagView;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** {@code feature_flags}, and the user ids a rollout preview counts over. */
public final class FlagRepository {
    private static final String COLUMNS =
            "key, enabled, percentage, description, rules, created_at, updated_at, updated_by, version";

    private final ObjectMapper mapper;

    public FlagRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<FlagView> list(Tx tx) throws SQLException {
        return Statements.list(tx, "SELECT " + COLUMNS + " FROM feature_flags ORDER BY key", List.of(), this::flag);
    }

    public Optional<FlagView> find(Tx tx, String key, boolean forUpdate) throws SQLException {
        return Statements.one(
                tx,
                "SELECT " + COLUMNS + " FROM feature_flags WHERE key = ?" + (forUpdate ? " FOR UPDATE" : ""),
                List.of(key),
                this::flag);
    }

    /** Creates or replaces the flag; the version goes up by one on every change. */
    public void upsert(
            Tx tx,
            String key,
            boolean enabled,
            int percentage,
            String description,
            FlagView.Rules rules,
            UUID by,
            Instant now)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO feature_flags (key, enabled, percentage, description, rules, created_at,"
                        + " updated_at, updated_by) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT (key) DO UPDATE"
                        + " SET enabled = excluded.enabled, percentage = excluded.percentage,"
                        + " description = excluded.description, rules = excluded.rules,"
                        + " updated_at = excluded.updated_at, updated_by = excluded.updated_by,"
                        + " version = feature_flags.version + 1")) {
            ps.setString(1, key);
            ps.setBoolean(2, enabled);
            ps.setInt(3, percentage);
            ps.setString(4, description);
            ps.setObject(5, json(rules), Types.OTHER);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setObject(8, by);
            ps.executeUpdate();
        }
    }

    /** Streams the ids of every account that is not deleted (the audience of a rollout). */
    public void eachUserId(Tx tx, Consumer<String> consumer) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT id FROM users WHERE deleted_at IS NULL")) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(rs.getString(1));
                }
            }
        }
    }

    private FlagView flag(ResultSet rs) throws SQLException {
        return new FlagView(
                rs.getString(1),
                rs.getBoolean(2),
                rs.getInt(3),
                rs.getString(4),
                rules(rs.getString(5)),
                rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7).toInstant(),
                rs.getObject(8, UUID.class),
                rs.getLong(9));
    }

    private String json(FlagView.Rules rules) {
        try {
            return mapper.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rules not serialisable", e);
        }
    }

    private FlagView.Rules rules(String json) {
        try {
            var rules = mapper.readValue(json, FlagView.Rules.class);
            return rules.userIds() == null ? FlagView.Rules.NONE : rules;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature_flags.rules is not valid", e);
        }
    }
}
