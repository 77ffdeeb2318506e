package io.steward.server.gdpr;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of erasure (GDPR Art. 17): personal values are overwritten in every table, while ids,
 * timestamps and the facts reports count (enrolments, grades, channels, statuses) stay. Run in the
 * caller's transaction, so it happens everywhere or nowhere.
 */
public final class ErasureRepository {

    /** The address that replaces the subject's e-mail everywhere. */
    public static String placeholderEmail(UUID subject) {
        return "erased-" + subject + "@erased.invalid";
    }

    /** Anonymises the subject; returns the rows changed per table. */
    public Map<String, Integer> anonymise(Tx tx, UUID subject, Instant now) throws SQLException {
        String placeholder = placeholderEmail(subject);
        var changed = new LinkedHashMap<String, Integer>();
        changed.put(
                "login_attempts",
                run(
                        tx,
                        "UPDATE login_attempts SET email = ?, ip_address = 'erased'"
                                + " WHERE user_id = ? OR lower(email) = (SELECT lower(email) FROM users WHERE id = ?)",
                        placeholder,
                        subject,
                        subject));
        changed.put(
                "users",
                run(
                        tx,
                        "UPDATE users SET email = ?, name = 'Erased user', password_hash = NULL,"
                                + " phone = NULL, street = NULL, city = NULL, postal_code = NULL, date_of_birth = NULL,"
                                + " marketing_consent = false, active = false, anonymized = true,"
                                + " deleted_at = coalesce(deleted_at, ?), updated_at = ?, version = version + 1"
                                + " WHERE id = ?",
                        placeholder,
                        Timestamp.from(now),
                        Timestamp.from(now),
                        subject));
        changed.put(
                "communications",
                run(tx, "UPDATE communications SET subject = NULL, body = NULL WHERE user_id = ?", subject));
        changed.put(
                "user_sessions",
                run(
                        tx,
                        "UPDATE user_sessions SET ip_address = NULL, user_agent = NULL" + " WHERE user_id = ?",
                        subject));
        changed.put(
                "email_logs", run(tx, "UPDATE email_logs SET to_address = ? WHERE user_id = ?", placeholder, subject));
        changed.put(
                "staff_tokens",
                run(
                        tx,
                        "UPDATE staff_tokens SET created_ip = NULL, user_agent = NULL,"
                                + " revoked_at = coalesce(revoked_at, ?), revoked_reason = coalesce(revoked_reason, 'erased')"
                                + " WHERE user_id = ?",
                        Timestamp.from(now),
                        subject));
        changed.put(
                "gdpr_requests",
                run(
                        tx,
                        "UPDATE gdpr_requests SET note = NULL, extension_reason = NULL,"
                                + " rejected_reason = NULL WHERE user_id = ?",
                        subject));
        return changed;
    }

    private static int run(Tx tx, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
