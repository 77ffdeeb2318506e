package io.steward.server.auth;

import io.steward.server.api.LoginResponse;
import io.steward.server.api.UserView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import io.steward.server.error.ServiceException;
import io.steward.server.http.Authenticator;
import io.steward.server.users.UserRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Staff sign-in, sign-out and token checks.
 *
 * <p>Tokens are 256 random bits, shown once to the client; the database keeps only their
 * SHA-256. A token stops working after {@link AuthSettings#tokenIdleTimeout()} without use,
 * on sign-out, and when its owner is deactivated. Failed attempts lock the account after
 * {@link AuthSettings#failuresBeforeLockout()} (429, even for the right password) and are
 * limited per IP address. All of it is kept in PostgreSQL, so limits hold across instances,
 * and every sign-in, failure, lockout and sign-out is audited.
 */
public final class AuthService implements Authenticator {
    private static final int TOKEN_BYTES = 32;

    private final Database db;
    private final UserRepository users;
    private final TokenRepository tokens;
    private final LoginAttemptRepository attempts;
    private final AuditService audit;
    private final PasswordHasher hasher;
    private final AuthSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AuthService(
            Database db,
            UserRepository users,
            TokenRepository tokens,
            LoginAttemptRepository attempts,
            AuditService audit,
            PasswordHasher hasher,
            AuthSettings settings,
            Clock clock) {
        this.db = db;
        this.users = users;
        this.tokens = tokens;
        this.attempts = attempts;
        this.audit = audit;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
    }

    /** Where a sign-in attempt came from. */
    public record Origin(String ip, String userAgent, String requestId) {}

    /** The result of a sign-in attempt, decided inside the transaction, thrown after commit. */
    private sealed interface Outcome {
        record Success(LoginResponse response) implements Outcome {}

        record Refused(ServiceException failure) implements Outcome {}
    }

    /**
     * Signs a staff member in.
     *
     * @throws ServiceException.Validation when email or password is missing
     * @throws ServiceException.InvalidCredentials for a wrong email or password (which one is
     *     not said), an inactive account
     * @throws ServiceException.Forbidden for a correct password of a non-staff account
     * @throws ServiceException.RateLimited when the account is locked or the address is over its limit
     */
    public LoginResponse login(@Nullable String email, @Nullable String password, Origin origin) {
        if (email == null || email.isBlank()) {
            throw new ServiceException.Validation("email", "email is required");
        }
        if (password == null || password.isEmpty()) {
            throw new ServiceException.Validation("password", "password is required");
        }
        if (email.length() > 254) {
            throw new ServiceException.Validation("email", "email is longer than 254 characters");
        }
        if (password.length() > 1024) {
            throw new ServiceException.Validation("password", "password is longer than 1024 characters");
        }
        String normalized = email.trim();
        // Argon2id takes tens of milliseconds of CPU: check the password before taking a
        // connection and the account's row lock, so concurrent sign-ins never queue on the pool
        Optional<String> storedHash =
                db.read(tx -> users.findByEmail(tx, normalized, false)).map(UserRepository.Account::passwordHash);
        boolean passwordOk = storedHash.isPresent() && hasher.verify(password, storedHash.get());
        if (storedHash.isEmpty()) {
            hasher.verifyDecoy(password);
        }
        Outcome outcome = db.inTransaction(tx -> attempt(tx, normalized, storedHash, passwordOk, origin));
        return switch (outcome) {
            case Outcome.Success s -> s.response();
            case Outcome.Refused r -> throw r.failure();
        };
    }

    private Outcome attempt(Tx tx, String email, Optional<String> checkedHash, boolean passwordOk, Origin origin)
            throws SQLException {
        Instant now = clock.instant();
        var window = attempts.failuresFrom(tx, origin.ip(), now.minus(settings.addressWindow()));
        if (window.failures() >= settings.failuresPerAddress()) {
            Instant retryAt = window.oldest().orElse(now).plus(settings.addressWindow());
            return refuse(
                    tx,
                    email,
                    null,
                    origin,
                    now,
                    "address_limited",
                    "auth.login_rate_limited",
                    new ServiceException.RateLimited(
                            "too many failed sign-ins from this address; try again later",
                            Duration.between(now, retryAt)));
        }

        var found = users.findByEmail(tx, email, true);
        if (found.isEmpty()) {
            return refuse(
                    tx,
                    email,
                    null,
                    origin,
                    now,
                    "unknown_account",
                    "auth.login_failed",
                    new ServiceException.InvalidCredentials());
        }
        var account = found.get();
        UserView user = account.user();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
            return refuse(
                    tx,
                    email,
                    user.id(),
                    origin,
                    now,
                    "locked",
                    "auth.login_locked",
                    new ServiceException.RateLimited(
                            "this account is locked after too many failed sign-ins; try again later",
                            Duration.between(now, account.lockedUntil())));
        }

        // the password must have been checked against the hash the account still has
        if (!passwordOk || !checkedHash.equals(Optional.ofNullable(account.passwordHash()))) {
            int failures = account.failedLogins() + 1;
            boolean lock = failures >= settings.failuresBeforeLockout();
            Instant lockUntil = lock ? now.plus(settings.lockout()) : null;
            users.recordFailedLogin(tx, user.id(), lock ? 0 : failures, lockUntil);
            Outcome refused = refuse(
                    tx,
                    email,
                    user.id(),
                    origin,
                    now,
                    "bad_password",
                    "auth.login_failed",
                    new ServiceException.InvalidCredentials());
            if (lock) {
                audit.record(
                        tx,
                        event(
                                null,
                                "auth.lockout",
                                user.id(),
                                origin,
                                Map.of("until", lockUntil.toString(), "failures", failures)));
            }
            return refused;
        }
        if (!user.active() || account.deletedAt() != null) {
            return refuse(
                    tx,
                    email,
                    user.id(),
                    origin,
                    now,
                    "inactive",
                    "auth.login_failed",
                    new ServiceException.InvalidCredentials());
        }
        if (!user.role().isStaff()) {
            return refuse(
                    tx,
                    email,
                    user.id(),
                    origin,
                    now,
                    "not_staff",
                    "auth.login_failed",
                    new ServiceException.Forbidden(
                            "only staff accounts (support, auditor, admin) may sign in to Steward"));
        }

        byte[] secret = new byte[TOKEN_BYTES];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID tokenId = UUID.randomUUID();
        tokens.insert(tx, tokenId, user.id(), sha256(token), now, origin.ip(), origin.userAgent());
        users.recordLogin(tx, user.id(), now);
        attempts.insert(tx, email, user.id(), origin.ip(), now, true, "ok");
        audit.record(
                tx,
                event(
                        user.id(),
                        "auth.login",
                        user.id(),
                        origin,
                        Map.of("ip", origin.ip(), "tokenId", tokenId.toString())));
        UserView signedIn = users.findById(tx, user.id()).orElseThrow().user();
        return new Outcome.Success(new LoginResponse(token, now.plus(settings.tokenIdleTimeout()), signedIn));
    }

    /** Records a refused attempt (for the limits and the audit trail) and the answer to give. */
    private Outcome refuse(
            Tx tx,
            String email,
            @Nullable UUID userId,
            Origin origin,
            Instant now,
            String reason,
            String action,
            ServiceException failure)
            throws SQLException {
        attempts.insert(tx, email, userId, origin.ip(), now, false, reason);
        audit.record(tx, event(null, action, userId, origin, Map.of("reason", reason, "ip", origin.ip())));
        return new Outcome.Refused(failure);
    }

    @Override
    public Principal authenticate(String token) {
        if (token.length() > 100) {
            throw new ServiceException.Unauthenticated("the token is not valid");
        }
        Instant now = clock.instant();
        return db.inTransaction(tx -> {
            var row = tokens.findByHash(tx, sha256(token))
                    .orElseThrow(() -> new ServiceException.Unauthenticated("the token is not valid; sign in again"));
            if (row.revokedAt() != null) {
                throw new ServiceException.Unauthenticated("the token was revoked; sign in again");
            }
            Instant expiresAt = row.lastUsedAt().plus(settings.tokenIdleTimeout());
            if (!now.isBefore(expiresAt)) {
                throw new ServiceException.Unauthenticated(
                        "the session expired after 8 hours without use; sign in again");
            }
            if (!row.active() || row.deletedAt() != null || !row.role().isStaff()) {
                throw new ServiceException.Unauthenticated("this account can no longer sign in");
            }
            tokens.touch(tx, row.id(), now);
            return new Principal(
                    row.userId(), row.email(), row.name(), row.role(), row.id(), now.plus(settings.tokenIdleTimeout()));
        });
    }

    /** Revokes the caller's token. */
    public void logout(Principal principal, Origin origin) {
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            if (tokens.revoke(tx, principal.tokenId(), now, "logout")) {
                audit.record(
                        tx,
                        event(
                                principal.userId(),
                                "auth.logout",
                                principal.userId(),
                                origin,
                                Map.of("tokenId", principal.tokenId().toString())));
            }
            return null;
        });
    }

    /** The signed-in staff member's own record. */
    public UserView me(Principal principal) {
        return db.read(tx -> users.findById(tx, principal.userId()))
                .orElseThrow(() -> new ServiceException.Unauthenticated("this account no longer exists"))
                .user();
    }

    private static AuditService.Event event(
            @Nullable UUID actor, String action, @Nullable UUID subject, Origin origin, Map<String, ?> details) {
        return new AuditService.Event(actor, action, subject, origin.requestId(), details);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
