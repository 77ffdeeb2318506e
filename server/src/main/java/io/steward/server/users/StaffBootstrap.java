package io.steward.server.users;

import io.steward.server.api.Role;
import io.steward.server.audit.AuditService;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.credentials.PasswordPolicy;
import io.steward.server.db.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Creates the first admin when the database has no staff account, and the demo support and
 * auditor accounts (sharing the admin's password) when demo data is asked for.
 */
public final class StaffBootstrap {
    public static final String DEFAULT_ADMIN_EMAIL = "admin@steward.local";
    public static final String DEMO_SUPPORT_EMAIL = "support@steward.local";
    public static final String DEMO_AUDITOR_EMAIL = "auditor@steward.local";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Database db;
    private final UserRepository users;
    private final AuditService audit;
    private final PasswordHasher hasher;
    private final Clock clock;

    public StaffBootstrap(Database db, UserRepository users, AuditService audit, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.users = users;
        this.audit = audit;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The admin created on this start, with the generated password if none was given. */
    public record CreatedAdmin(String email, Optional<String> generatedPassword) {}

    /**
     * Creates the admin if there is no staff account yet.
     *
     * @param email the admin's e-mail, or {@code null} for {@value #DEFAULT_ADMIN_EMAIL}
     * @param password the admin's password, or {@code null} to generate one
     * @throws io.steward.server.error.ServiceException.Validation if the given password breaks the policy
     */
    public Optional<CreatedAdmin> ensureAdmin(@Nullable String email, @Nullable String password) {
        String adminEmail = email == null ? DEFAULT_ADMIN_EMAIL : email;
        if (password != null) {
            PasswordPolicy.check("STEWARD_ADMIN_PASSWORD", password, adminEmail);
        }
        String effective = password == null ? generatePassword() : password;
        return db.inTransaction(tx -> {
            if (users.countActiveStaff(tx) > 0) {
                return Optional.empty();
            }
            UUID id = UUID.randomUUID();
            users.insert(tx, id, adminEmail, "Administrator", Role.ADMIN, hasher.hash(effective), clock.instant());
            audit.record(
                    tx,
                    new AuditService.Event(
                            null,
                            "user.bootstrap_admin",
                            id,
                            null,
                            Map.of("role", Role.ADMIN.wireName(), "passwordGenerated", password == null)));
            return Optional.of(
                    new CreatedAdmin(adminEmail, password == null ? Optional.of(effective) : Optional.empty()));
        });
    }

    /** Adds the demo support and auditor accounts, with the first admin's password, if missing. */
    public void ensureDemoStaff() {
        db.inTransaction(tx -> {
            String hash = users.firstAdminPasswordHash(tx)
                    .orElseThrow(() ->
                            new IllegalStateException("demo staff need an admin account to copy the password from"));
            for (var account : Map.of(DEMO_SUPPORT_EMAIL, Role.SUPPORT, DEMO_AUDITOR_EMAIL, Role.AUDITOR)
                    .entrySet()) {
                if (users.findByEmail(tx, account.getKey(), false).isEmpty()) {
                    UUID id = UUID.randomUUID();
                    String name = account.getValue() == Role.SUPPORT ? "Demo Support" : "Demo Auditor";
                    users.insert(tx, id, account.getKey(), name, account.getValue(), hash, clock.instant());
                    audit.record(
                            tx,
                            new AuditService.Event(
                                    null,
                                    "user.demo_staff_created",
                                    id,
                                    null,
                                    Map.of("role", account.getValue().wireName())));
                }
            }
            return null;
        });
    }

    private static String generatePassword() {
        var random = new SecureRandom();
        var sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
