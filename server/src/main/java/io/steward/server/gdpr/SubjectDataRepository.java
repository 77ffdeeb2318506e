package io.steward.server.gdpr;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads everything the platform holds about one person, table by table. {@link #SECTIONS} is the
 * list of what an export contains; a test fails when a table with a {@code user_id} column is
 * missing from it.
 */
public final class SubjectDataRepository {

    /** One part of the export: its name in the document, the table it comes from, and the query. */
    public record Section(String name, String table, String sql) {}

    public static final List<Section> SECTIONS = List.of(
            new Section(
                    "enrollments",
                    "enrollments",
                    "SELECT e.id, e.status, e.enrolled_at, e.completed_at, e.grade,"
                            + " p.code AS program_code, p.title AS program_title FROM enrollments e"
                            + " JOIN programs p ON p.id = e.program_id WHERE e.user_id = ? ORDER BY e.enrolled_at"),
            new Section(
                    "communications",
                    "communications",
                    "SELECT id, channel, direction, subject, body, sent_at"
                            + " FROM communications WHERE user_id = ? ORDER BY sent_at"),
            new Section(
                    "sessions",
                    "user_sessions",
                    "SELECT id, started_at, ended_at, host(ip_address) AS ip_address,"
                            + " user_agent FROM user_sessions WHERE user_id = ? ORDER BY started_at"),
            new Section(
                    "emailLogs",
                    "email_logs",
                    "SELECT id, to_address, template, status, sent_at FROM email_logs"
                            + " WHERE user_id = ? ORDER BY sent_at"),
            new Section(
                    "gdprRequests",
                    "gdpr_requests",
                    "SELECT id, type, status, received_at, due_at, extended_until,"
                            + " completed_at, rejected_reason, note FROM gdpr_requests WHERE user_id = ? ORDER BY received_at"),
            new Section(
                    "staffSignIns",
                    "login_attempts",
                    "SELECT at, ip_address, success, reason FROM login_attempts" + " WHERE user_id = ? ORDER BY at"),
            new Section(
                    "staffTokens",
                    "staff_tokens",
                    "SELECT id, created_at, last_used_at, revoked_at, revoked_reason,"
                            + " created_ip, user_agent FROM staff_tokens WHERE user_id = ? ORDER BY created_at"),
            new Section(
                    "auditEntries",
                    "audit_log",
                    "SELECT id, at, action, actor_id, request_id, details::text AS details"
                            + " FROM audit_log WHERE subject_id = ? ORDER BY seq"));

    /** The subject's own row, without secrets. */
    public @Nullable Map<String, Object> profile(Tx tx, UUID id) throws SQLException {
        List<Map<String, Object>> rows = rows(
                tx,
                "SELECT id, email, name, role, active, email_verified, phone, street,"
                        + " city, postal_code, country, date_of_birth, marketing_consent, processing_restricted, created_at,"
                        + " updated_at, last_login, deleted_at, anonymized FROM users WHERE id = ?",
                id);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    public List<Map<String, Object>> section(Tx tx, Section section, UUID id) throws SQLException {
        return rows(tx, section.sql(), id);
    }

    /** Tables that hold a {@code user_id}, from the database's own catalogue. */
    public List<String> tablesWithUserId(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                        .prepareStatement("SELECT table_name FROM information_schema.columns"
                                + " WHERE table_schema = 'public' AND column_name = 'user_id' ORDER BY 1");
                ResultSet rs = ps.executeQuery()) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static List<Map<String, Object>> rows(Tx tx, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                var out = new ArrayList<Map<String, Object>>();
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        Object value = rs.getObject(c);
                        if (value != null) {
                            row.put(camel(meta.getColumnLabel(c)), plain(value));
                        }
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    private static Object plain(Object value) {
        return switch (value) {
            case Timestamp t -> t.toInstant().toString();
            case java.sql.Date d -> d.toLocalDate().toString();
            case UUID u -> u.toString();
            case String s -> s;
            case Boolean b -> b;
            case Number n -> n;
            default -> value.toString();
        };
    }

    private static String camel(String column) {
        var out = new StringBuilder();
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
