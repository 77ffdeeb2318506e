package io.steward.server.credentials;

import io.steward.server.api.Role;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** SQL for {@code staff_tokens}: only SHA-256 digests of tokens are stored. */
public final class TokenRepository {

    /** A token row joined with its owner. */
    public record TokenRow(
            UUID id,
            UUID userId,
            Instant lastUsedAt,
            @Nullable Instant revokedAt,
            @Nullable String revokedReason,
            String email,
            String name,
            Role role,
            boolean active,
            @Nullable Instant deletedAt) {}

    public void insert(Tx tx, UUID id, UUID userId, byte[] tokenHash, Instant now, String ip, String userAgent)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO staff_tokens (id, user_id, token_hash, created_at, last_used_at,"
                        + " created_ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, userId);
            ps.setBytes(3, tokenHash);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, ip);
            ps.setString(7, userAgent);
            ps.executeUpdate();
        }
    }

    public Optional<TokenRow> findByHash(Tx tx, byte[] tokenHash) throws SQLException {
        return find(tx, "t.token_hash = ?", tokenHash);
    }

    public Optional<TokenRow> findById(Tx tx, UUID id) throws SQLException {
        return find(tx, "t.id = ?", id);
    }

    private Optional<TokenRow> find(Tx tx, String where, Object key) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT t.id, t.user_id, t.last_used_at, t.revoked_at, t.revoked_reason, u.email,"
                        + " u.name, u.role, u.active, u.deleted_at FROM staff_tokens t JOIN users u ON u.id = t.user_id"
                        + " WHERE " + where)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp revoked = rs.getTimestamp("revoked_at");
                Timestamp deleted = rs.getTimestamp("deleted_at");
                return Optional.of(new TokenRow(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getTimestamp("last_used_at").toInstant(),
                        revoked == null ? null : revoked.toInstant(),
                        rs.getString("revoked_reason"),
                        rs.getString("email"),
                        rs.getString("name"),
                        Role.fromWire(rs.getString("role")),
                        rs.getBoolean("active"),
                        deleted == null ? null : deleted.toInstant()));
            }
        }
    }

    public void touch(Tx tx, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE staff_tokens SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL"
                        + " AND last_used_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, id);
            ps.setTimestamp(3, Timestamp.from(now.minusSeconds(60)));
            ps.executeUpdate();
        }
    }

    /** Revokes one token; returns whether it was live. */
    public boolean revoke(Tx tx, UUID id, Instant now, String reason) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE staff_tokens SET revoked_at = ?, revoked_reason = ? WHERE id = ?"
                        + " AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setObject(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Revokes every live token of a user (deactivation, role change); returns how many. */
    public int revokeAllOf(Tx tx, UUID userId, Instant now, String reason) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE staff_tokens SET revoked_at = ?, revoked_reason = ? WHERE user_id = ?"
                        + " AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setObject(3, userId);
            return ps.executeUpdate();
        }
    }
}
