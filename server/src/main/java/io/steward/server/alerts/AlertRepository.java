package io.steward.server.alerts;

import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.WireName;
import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code alert_rules} and {@code alert_events}. */
public final class AlertRepository {
    private static final String RULE_COLUMNS = "id, name, metric, operator, threshold, for_seconds, severity,"
            + " description, enabled, created_at, updated_at, version";

    /** A rule's fields as stored. */
    public record RuleFields(
            String name,
            String metric,
            String op,
            double threshold,
            int forSeconds,
            String severity,
            String description,
            boolean enabled) {}

    public List<AlertRuleView> rules(Tx tx) throws SQLException {
        return Statements.list(
                tx,
                "SELECT " + RULE_COLUMNS + " FROM alert_rules WHERE retired_at IS NULL ORDER BY name",
                List.of(),
                AlertRepository::rule);
    }

    public Optional<AlertRuleView> rule(Tx tx, UUID id, boolean forUpdate) throws SQLException {
        return Statements.one(
                tx,
                "SELECT " + RULE_COLUMNS + " FROM alert_rules WHERE id = ? AND retired_at IS NULL"
                        + (forUpdate ? " FOR UPDATE" : ""),
                List.of(id),
                AlertRepository::rule);
    }

    public boolean nameTaken(Tx tx, String name, @Nullable UUID except) throws SQLException {
        var params = new ArrayList<Object>();
        params.add(name);
        params.add(except);
        return Statements.one(
                        tx,
                        "SELECT 1 FROM alert_rules WHERE name = ? AND retired_at IS NULL AND id IS DISTINCT FROM ?",
                        params,
                        rs -> true)
                .isPresent();
    }

    public void insertRule(Tx tx, UUID id, RuleFields f, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO alert_rules (id, name, metric, operator, threshold, for_seconds,"
                        + " severity, description, enabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setObject(1, id);
            bind(ps, 2, f);
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    public void updateRule(Tx tx, UUID id, RuleFields f, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE alert_rules SET name = ?, metric = ?, operator = ?, threshold = ?,"
                        + " for_seconds = ?, severity = ?, description = ?, enabled = ?, updated_at = ?,"
                        + " version = version + 1 WHERE id = ?")) {
            bind(ps, 1, f);
            ps.setTimestamp(9, Timestamp.from(now));
            ps.setObject(10, id);
            ps.executeUpdate();
        }
    }

    /**
     * Retires a rule: it is no longer listed or evaluated, its alerts stay. One that is firing is
     * resolved now (with no value: nothing measured it), one pending is dropped (it never fired).
     */
    public void retireRule(Tx tx, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE alert_rules SET retired_at = ?, enabled = false, updated_at = ?,"
                        + " version = version + 1 WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE alert_events SET state = 'resolved', resolved_at = ? WHERE rule_id = ?"
                        + " AND state = 'firing'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                tx.connection().prepareStatement("DELETE FROM alert_events WHERE rule_id = ? AND state = 'pending'")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int first, RuleFields f) throws SQLException {
        ps.setString(first, f.name());
        ps.setString(first + 1, f.metric());
        ps.setString(first + 2, f.op());
        ps.setDouble(first + 3, f.threshold());
        ps.setInt(first + 4, f.forSeconds());
        ps.setString(first + 5, f.severity());
        ps.setString(first + 6, f.description());
        ps.setBoolean(first + 7, f.enabled());
    }

    private static AlertRuleView rule(ResultSet rs) throws SQLException {
        return new AlertRuleView(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getDouble(5),
                rs.getInt(6),
                rs.getString(7),
                rs.getString(8),
                rs.getBoolean(9),
                rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant(),
                rs.getLong(12),
                List.of());
    }

    // ---- alert events ---------------------------------------------------------------------

    public void insertPending(Tx tx, UUID id, UUID rule, double value, Instant startedAt) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO alert_events (id, rule_id, state, value, started_at)"
                        + " VALUES (?, ?, 'pending', ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, rule);
            ps.setDouble(3, value);
            ps.setTimestamp(4, Timestamp.from(startedAt));
            ps.executeUpdate();
        }
    }

    public void markFiring(
            Tx tx, UUID id, UUID rule, double value, Instant startedAt, Instant firedAt, boolean silenced)
            throws SQLException {
        // an upsert: a rule with no "for" fires without ever being pending
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO alert_events (id, rule_id, state, value, started_at, fired_at,"
                        + " fired_value, silenced) VALUES (?, ?, 'firing', ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                        + " SET state = 'firing', value = excluded.value, fired_at = excluded.fired_at,"
                        + " fired_value = excluded.fired_value, silenced = excluded.silenced")) {
            ps.setObject(1, id);
            ps.setObject(2, rule);
            ps.setDouble(3, value);
            ps.setTimestamp(4, Timestamp.from(startedAt));
            ps.setTimestamp(5, Timestamp.from(firedAt));
            ps.setDouble(6, value);
            ps.setBoolean(7, silenced);
            ps.executeUpdate();
        }
    }

    public void markResolved(Tx tx, UUID id, double value, Instant resolvedAt) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE alert_events SET state = 'resolved', resolved_at = ?, resolved_value = ?,"
                        + " value = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(resolvedAt));
            setNullableDouble(ps, 2, value);
            setNullableDouble(ps, 3, value);
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    /** A pending alert whose condition stopped holding before it fired was never an alert. */
    public void deletePending(Tx tx, UUID id) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("DELETE FROM alert_events WHERE id = ? AND state = 'pending'")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** Alerts left pending or firing (by a previous run of the server), to carry on from. */
    public List<AlertView> active(Tx tx) throws SQLException {
        return alerts(tx, EnumSet.of(AlertState.PENDING, AlertState.FIRING), null, Integer.MAX_VALUE, null);
    }

    private static final String ALERT_COLUMNS = "SELECT e.id, e.rule_id, r.name, r.metric, r.operator, r.threshold,"
            + " r.severity, r.description, e.state, e.value, e.started_at, e.fired_at, e.fired_value, e.resolved_at,"
            + " e.silenced, e.acknowledged_by, a.name, e.acknowledged_at, e.acknowledgement_note"
            + " FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id"
            + " LEFT JOIN users a ON a.id = e.acknowledged_by";

    /** Alerts newest first, of {@code states} (all when empty), of one rule or of all. */
    public List<AlertView> alerts(Tx tx, Set<AlertState> states, @Nullable UUID rule, int limit, @Nullable Keyset after)
            throws SQLException {
        var sql = new StringBuilder(ALERT_COLUMNS + " WHERE true");
        var params = new ArrayList<Object>();
        if (rule != null) {
            sql.append(" AND e.rule_id = ?");
            params.add(rule);
        }
        if (!states.isEmpty()) {
            sql.append(" AND e.state IN (")
                    .append(Statements.placeholders(states.size()))
                    .append(")");
            states.forEach(s -> params.add(s.wireName()));
        }
        if (after != null) {
            sql.append(" AND (e.started_at, e.id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.uuid());
        }
        sql.append(" ORDER BY e.started_at DESC, e.id DESC LIMIT ?");
        params.add(limit);
        return Statements.list(tx, sql.toString(), params, AlertRepository::alert);
    }

    /** One alert, locked until the transaction ends. */
    public Optional<AlertView> alertForUpdate(Tx tx, UUID id) throws SQLException {
        return Statements.one(
                tx, ALERT_COLUMNS + " WHERE e.id = ? FOR UPDATE OF e", List.of(id), AlertRepository::alert);
    }

    /** Records who is on an open alert nobody has acknowledged; false when it is not such an alert. */
    public boolean acknowledge(Tx tx, UUID id, UUID by, Instant at, @Nullable String note) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE alert_events SET acknowledged_by = ?, acknowledged_at = ?,"
                        + " acknowledgement_note = ? WHERE id = ? AND acknowledged_by IS NULL"
                        + " AND state IN ('pending', 'firing')")) {
            ps.setObject(1, by);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, note);
            ps.setObject(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static AlertView alert(ResultSet rs) throws SQLException {
        Instant fired = instant(rs, 12);
        Instant resolved = instant(rs, 14);
        return new AlertView(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getDouble(6),
                rs.getString(7),
                rs.getString(8),
                WireName.of(AlertState.class, rs.getString(9)),
                nullableDouble(rs, 10),
                rs.getTimestamp(11).toInstant(),
                fired,
                nullableDouble(rs, 13),
                resolved,
                fired != null && resolved != null
                        ? Duration.between(fired, resolved).toSeconds()
                        : null,
                rs.getBoolean(15),
                acknowledgement(rs),
                List.of());
    }

    private static AlertView.@Nullable Acknowledgement acknowledgement(ResultSet rs) throws SQLException {
        UUID by = rs.getObject(16, UUID.class);
        Instant at = instant(rs, 18);
        if (by == null || at == null) {
            return null;
        }
        String name = rs.getString(17);
        return new AlertView.Acknowledgement(by, name == null ? "" : name, at, rs.getString(19));
    }

    static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static @Nullable Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static void setNullableDouble(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            ps.setNull(index, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
