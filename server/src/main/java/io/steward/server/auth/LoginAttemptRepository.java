package io.steward.server.auth;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for {@code login_attempts}: every sign-in attempt, kept for rate limits and reports. */
public final class LoginAttemptRepository {
    /** Reasons that count against an address's limit. */
    static final String COUNTED = "('bad_password', 'unknown_account', 'inactive', 'not_staff')";

    public void insert(
            Tx tx, String email, @Nullable UUID userId, String ip, Instant at, boolean success, String reason)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO login_attempts (email, user_id, ip_address, at, success, reason)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, email.length() > 254 ? email.substring(0, 254) : email);
            ps.setObject(2, userId);
            ps.setString(3, ip);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setBoolean(5, success);
            ps.setString(6, reason);
            ps.executeUpdate();
        }
    }

    /** Failed attempts from {@code ip} since {@code since}, and the oldest of them. */
    public record Window(int failures, Optional<Instant> oldest) {}

    public Window failuresFrom(Tx tx, String ip, Instant since) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT count(*), min(at) FROM login_attempts WHERE ip_address = ? AND at > ?"
                        + " AND NOT success AND reason IN " + COUNTED)) {
            ps.setString(1, ip);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                return new Window(rs.getInt(1), Optional.ofNullable(oldest).map(Timestamp::toInstant));
            }
        }
    }
}
