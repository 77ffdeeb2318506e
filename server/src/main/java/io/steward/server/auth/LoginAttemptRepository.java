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

    /**
     * Where one account name and one address stand: failures since {@code since} and since the
     * last success, unlock or lockout (in the order the attempts were recorded), and the last lockout if it has not been ended by a success or an unlock since. The
     * name is matched whatever its case, and whether or not such an account exists.
     */
    public record Pair(int failures, @Nullable Instant lockedAt) {}

    public Pair pair(Tx tx, String email, String ip, Instant since) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("WITH pair AS (SELECT id, at, success, reason FROM login_attempts"
                        + " WHERE lower(email) = lower(?) AND ip_address = ?),"
                        + " marks AS (SELECT max(id) FILTER (WHERE reason = 'lockout') AS locked,"
                        + " (array_agg(at ORDER BY id DESC) FILTER (WHERE reason = 'lockout'))[1] AS locked_at,"
                        + " max(id) FILTER (WHERE success OR reason = 'unlocked') AS reset FROM pair)"
                        + " SELECT (SELECT count(*) FROM pair WHERE NOT success AND reason IN " + COUNTED
                        + " AND at > ? AND id > greatest(coalesce(marks.locked, 0), coalesce(marks.reset, 0))),"
                        + " CASE WHEN marks.locked > coalesce(marks.reset, 0) THEN marks.locked_at END"
                        + " FROM marks")) {
            ps.setString(1, email);
            ps.setString(2, ip);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp locked = rs.getTimestamp(2);
                return new Pair(rs.getInt(1), locked == null ? null : locked.toInstant());
            }
        }
    }

    /** An account name and an address locked out of signing in since {@code lockedAt}. */
    public record Locked(String email, String ip, Instant lockedAt) {}

    /** The pairs locked since {@code since} and not unlocked since, newest first. */
    public java.util.List<Locked> locked(Tx tx, Instant since) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT DISTINCT ON (lower(l.email), l.ip_address) lower(l.email), l.ip_address, l.at"
                        + " FROM login_attempts l WHERE l.reason = 'lockout' AND l.at > ?"
                        + " AND NOT EXISTS (SELECT 1 FROM login_attempts r WHERE lower(r.email) = lower(l.email)"
                        + " AND r.ip_address = l.ip_address AND r.id > l.id AND (r.success OR r.reason = 'unlocked'))"
                        + " ORDER BY lower(l.email), l.ip_address, l.at DESC")) {
            ps.setTimestamp(1, Timestamp.from(since));
            var found = new java.util.ArrayList<Locked>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Locked(
                            rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            found.sort(java.util.Comparator.comparing(Locked::lockedAt).reversed());
            return found;
        }
    }

    /** An account name that failed to sign in {@code failures} times from {@code addresses} addresses. */
    public record Targeted(String email, int failures, int addresses, Instant first, Instant last) {}

    /**
     * Account names with at least {@code ceiling} counted failures since {@code since}, from all
     * addresses together, most failures first.
     */
    public java.util.List<Targeted> targeted(Tx tx, Instant since, int ceiling) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT lower(email), count(*), count(DISTINCT ip_address), min(at), max(at)"
                        + " FROM login_attempts WHERE at > ? AND NOT success AND reason IN " + COUNTED
                        + " GROUP BY lower(email) HAVING count(*) >= ? ORDER BY count(*) DESC, lower(email)")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setInt(2, ceiling);
            var found = new java.util.ArrayList<Targeted>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Targeted(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getInt(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return found;
        }
    }
}
