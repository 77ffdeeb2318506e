package io.steward.server.auth;

import io.steward.server.access.Principal;
import io.steward.server.api.LoginResponse;
import io.steward.server.api.SignInLockout;
import io.steward.server.api.SignInLockouts;
import io.steward.server.api.TargetedAccount;
import io.steward.server.api.UserView;
import io.steward.server.audit.AuditService;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.credentials.TokenRepository;
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
 * on sign-out, and when its owner is deactivated. Failed attempts lock an account name out from
 * one address after {@link AuthSettings#failuresBeforeLockout()} (429, even for the right
 * password), never from other addresses, and are limited per address. Whether an account by that
 * name exists changes none of the answers. The limits are checked before any password is hashed,
 * and hashing is bounded ({@link SignInGate}). Attempts are kept in PostgreSQL, so limits hold
 * across instances, and every sign-in, failure, lockout, unlock and sign-out is audited.
 */
public final class AuthService implements Authenticator {
    private static final int TOKEN_BYTES = 32;
    private static final Duration TARGETED_CACHE = Duration.ofSeconds(5);

    private final Database db;
    private final UserRepository users;
    private final TokenRepository tokens;
    private final LoginAttemptRepository attempts;
    private final AuditService audit;
    private final PasswordHasher hasher;
    private final AuthSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final SignInGate gate;
    private volatile @Nullable Targeted targetedCache;

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
        this.gate = new SignInGate(settings.concurrentHashes(), settings.hashWait());
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
        try (var underWay = gate.enter(origin.ip())) {
            // the limits first: a refused attempt costs no hashing
            Instant now = clock.instant();
            Refusal limited = db.read(tx -> limit(tx, normalized, origin.ip(), now));
            if (limited != null) {
                Outcome refused = db.inTransaction(tx -> refuse(
                        tx,
                        normalized,
                        limited.userId(),
                        origin,
                        now,
                        limited.reason(),
                        limited.action(),
                        limited.failure()));
                throw ((Outcome.Refused) refused).failure();
            }
            // Argon2id takes tens of milliseconds of CPU: check the password before taking a
            // connection and the account's row lock, so concurrent sign-ins never queue on the pool
            Optional<String> storedHash =
                    db.read(tx -> users.findByEmail(tx, normalized, false)).map(UserRepository.Account::passwordHash);
            boolean passwordOk = gate.hash(() -> {
                if (storedHash.isEmpty()) {
                    hasher.verifyDecoy(password);
                    return false;
                }
                return hasher.verify(password, storedHash.get());
            });
            Outcome outcome = db.inTransaction(tx -> attempt(tx, normalized, storedHash, passwordOk, origin));
            return switch (outcome) {
                case Outcome.Success s -> s.response();
                case Outcome.Refused r -> throw r.failure();
            };
        }
    }

    /** Why an attempt is refused before its password is looked at. */
    private record Refusal(@Nullable UUID userId, String reason, String action, ServiceException failure) {}

    /** The address's limit and the lockout of this account name from this address, or null. */
    private @Nullable Refusal limit(Tx tx, String email, String ip, Instant now) throws SQLException {
        @Nullable
        UUID userId =
                users.findByEmail(tx, email, false).map(a -> a.user().id()).orElse(null);
        var window = attempts.failuresFrom(tx, ip, now.minus(settings.addressWindow()));
        if (window.failures() >= settings.failuresPerAddress()) {
            Instant retryAt = window.oldest().orElse(now).plus(settings.addressWindow());
            return new Refusal(
                    userId,
                    "address_limited",
                    "auth.login_rate_limited",
                    new ServiceException.RateLimited(
                            "too many failed sign-ins from this address; try again later",
                            Duration.between(now, retryAt)));
        }
        var pair = attempts.pair(tx, email, ip, now.minus(settings.addressWindow()));
        if (pair.lockedAt() != null && pair.lockedAt().plus(settings.lockout()).isAfter(now)) {
            return new Refusal(
                    userId,
                    "locked",
                    "auth.login_locked",
                    new ServiceException.RateLimited(
                            "too many failed sign-ins for this account from this address; try again later",
                            Duration.between(now, pair.lockedAt().plus(settings.lockout()))));
        }
        return null;
    }

    private Outcome attempt(Tx tx, String email, Optional<String> checkedHash, boolean passwordOk, Origin origin)
            throws SQLException {
        Instant now = clock.instant();
        var found = users.findByEmail(tx, email, true);
        // the password must have been checked against the hash the account still has
        if (found.isEmpty()
                || !passwordOk
                || !checkedHash.equals(Optional.ofNullable(found.get().passwordHash()))) {
            @Nullable UUID userId = found.map(a -> a.user().id()).orElse(null);
            Outcome refused = refuse(
                    tx,
                    email,
                    userId,
                    origin,
                    now,
                    found.isEmpty() ? "unknown_account" : "bad_password",
                    "auth.login_failed",
                    new ServiceException.InvalidCredentials());
            var pair = attempts.pair(tx, email, origin.ip(), now.minus(settings.addressWindow()));
            if (pair.failures() >= settings.failuresBeforeLockout()) {
                Instant lockUntil = now.plus(settings.lockout());
                attempts.insert(tx, email, userId, origin.ip(), now, false, "lockout");
                audit.record(
                        tx,
                        event(
                                null,
                                "auth.lockout",
                                userId,
                                origin,
                                Map.of("until", lockUntil.toString(), "failures", pair.failures(), "ip", origin.ip())));
            }
            return refused;
        }
        var account = found.get();
        UserView user = account.user();
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
            Optional<String> ended = ended(row, now);
            if (ended.isEmpty() && !row.role().isStaff()) {
                ended = Optional.of("your role was changed");
            }
            if (ended.isPresent()) {
                throw new ServiceException.Unauthenticated("this sign-in ended: " + ended.get() + "; sign in again");
            }
            Instant expiresAt = row.lastUsedAt().plus(settings.tokenIdleTimeout());
            tokens.touch(tx, row.id(), now);
            return new Principal(
                    row.userId(), row.email(), row.name(), row.role(), row.id(), now.plus(settings.tokenIdleTimeout()));
        });
    }

    @Override
    public Optional<String> ended(Principal principal) {
        var row = db.read(tx -> tokens.findById(tx, principal.tokenId()));
        if (row.isEmpty()) {
            return Optional.of("the sign-in no longer exists");
        }
        Optional<String> ended = ended(row.get(), clock.instant());
        if (ended.isEmpty() && row.get().role() != principal.role()) {
            return Optional.of("your role was changed");
        }
        return ended;
    }

    /** Why a token no longer signs anyone in, in words the person it belonged to understands. */
    private Optional<String> ended(TokenRepository.TokenRow token, Instant now) {
        if (token.revokedAt() != null) {
            return Optional.of(
                    switch (String.valueOf(token.revokedReason())) {
                        case "logout" -> "you signed out";
                        case "deactivated" -> "your account was deactivated";
                        case "role changed" -> "your role was changed";
                        default -> "the sign-in was revoked";
                    });
        }
        if (!now.isBefore(token.lastUsedAt().plus(settings.tokenIdleTimeout()))) {
            return Optional.of(
                    "it was not used for " + settings.tokenIdleTimeout().toHours() + " hours");
        }
        if (!token.active() || token.deletedAt() != null) {
            return Optional.of("your account was deactivated");
        }
        return Optional.empty();
    }

    /**
     * The account names locked out from an address now, newest first, and the names that failed
     * more than the per-account ceiling allows from all addresses together.
     */
    public SignInLockouts lockouts() {
        Instant now = clock.instant();
        return db.read(tx -> new SignInLockouts(
                attempts.locked(tx, now.minus(settings.lockout())).stream()
                        .map(l -> new SignInLockout(
                                l.email(), l.ip(), l.lockedAt(), l.lockedAt().plus(settings.lockout())))
                        .toList(),
                targeted(tx, now)));
    }

    private java.util.List<TargetedAccount> targeted(Tx tx, Instant now) throws SQLException {
        return attempts.targeted(tx, now.minus(settings.addressWindow()), settings.failuresPerAccount()).stream()
                .map(t -> new TargetedAccount(t.email(), t.failures(), t.addresses(), t.first(), t.last()))
                .toList();
    }

    /**
     * How many account names are targeted now (the {@code auth.accounts.targeted} series), read
     * from the database at most every {@link #TARGETED_CACHE}.
     */
    public double targetedAccounts() {
        long nowNanos = System.nanoTime();
        Targeted cached = targetedCache;
        if (cached == null || nowNanos - cached.readAt() > TARGETED_CACHE.toNanos()) {
            Instant now = clock.instant();
            cached = new Targeted(nowNanos, db.read(tx -> targeted(tx, now)).size());
            targetedCache = cached;
        }
        return cached.count();
    }

    private record Targeted(long readAt, int count) {}

    /**
     * Ends the lockout of {@code email} from {@code ip} before its time (an admin's decision,
     * audited); its failures start again from zero.
     *
     * @throws ServiceException.NotFound when that name is not locked out from that address
     */
    public void unlock(Principal admin, @Nullable String email, @Nullable String ip, Origin origin) {
        if (email == null || email.isBlank()) {
            throw new ServiceException.Validation("email", "email is required");
        }
        if (ip == null || ip.isBlank()) {
            throw new ServiceException.Validation("ip", "ip is required");
        }
        String name = email.trim();
        String address = ip.trim();
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            var pair = attempts.pair(tx, name, address, now.minus(settings.addressWindow()));
            if (pair.lockedAt() == null
                    || !pair.lockedAt().plus(settings.lockout()).isAfter(now)) {
                throw new ServiceException.NotFound("no lockout of that account name from address " + address);
            }
            @Nullable
            UUID userId =
                    users.findByEmail(tx, name, false).map(a -> a.user().id()).orElse(null);
            attempts.insert(tx, name, userId, address, now, false, "unlocked");
            audit.record(
                    tx,
                    event(
                            admin.userId(),
                            "auth.unlock",
                            userId,
                            origin,
                            Map.of("ip", address, "lockedAt", pair.lockedAt().toString())));
            return null;
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
