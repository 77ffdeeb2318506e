package io.steward.server.users;

import io.steward.server.api.Role;
import io.steward.server.api.UserView;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for the {@code users} table. */
public final class UserRepository {

    /** A user row with the sign-in bookkeeping the API never shows. */
    public record Account(
            UserView user,
            @Nullable String passwordHash,
            @Nullable Instant deletedAt,
            int failedLogins,
            @Nullable Instant lockedUntil) {}

    static final String COLUMNS =
            "id, email, name, role, active, email_verified, created_at, updated_at, last_login, version,"
                    + " password_hash, deleted_at, failed_logins, locked_until";

    /** The account with this e-mail (any case), locked for update when {@code forUpdate}. */
    public Optional<Account> findByEmail(Tx tx, String email, boolean forUpdate) throws SQLException {
        String sql =
                "SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(?)" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
            ps.setString(1, email);
            return one(ps);
        }
    }

    public Optional<Account> findById(Tx tx, UUID id) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            ps.setObject(1, id);
            return one(ps);
        }
    }

    /** Number of staff accounts that can still sign in. */
    public int countActiveStaff(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT count(*) FROM users WHERE role IN ('support', 'auditor', 'admin')"
                        + " AND deleted_at IS NULL")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The password hash of the oldest active admin, if any. */
    public Optional<String> firstAdminPasswordHash(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "SELECT password_hash FROM users WHERE role = 'admin' AND active AND deleted_at IS NULL"
                                + " AND password_hash IS NOT NULL ORDER BY created_at, id LIMIT 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Inserts a user; the e-mail must be free (unique regardless of case). */
    public void insert(Tx tx, UUID id, String email, String name, Role role, @Nullable String passwordHash, Instant now)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO users (id, email, name, role, password_hash, active, email_verified,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, true, true, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, email);
            ps.setString(3, name);
            ps.setString(4, role.wireName());
            ps.setString(5, passwordHash);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** Records a failed sign-in; locks the account until {@code lockUntil} when given. */
    public void recordFailedLogin(Tx tx, UUID id, int failedLogins, @Nullable Instant lockUntil) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")) {
            ps.setInt(1, failedLogins);
            ps.setTimestamp(2, lockUntil == null ? null : Timestamp.from(lockUntil));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Records a successful sign-in: clears the failure count and sets {@code last_login}. */
    public void recordLogin(Tx tx, UUID id, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    private static Optional<Account> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
    }

    static Account account(ResultSet rs) throws SQLException {
        return new Account(
                user(rs),
                rs.getString("password_hash"),
                instant(rs, "deleted_at"),
                rs.getInt("failed_logins"),
                instant(rs, "locked_until"));
    }

    static UserView user(ResultSet rs) throws SQLException {
        return new UserView(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("name"),
                Role.fromWire(rs.getString("role")),
                rs.getBoolean("active"),
                rs.getBoolean("email_verified"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                instant(rs, "last_login"),
                rs.getLong("version"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
