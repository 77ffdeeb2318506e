package io.steward.server.users;

import io.steward.server.access.Principal;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.CreateUserRequest;
import io.steward.server.api.Page;
import io.steward.server.api.RectifyRequest;
import io.steward.server.api.Role;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.credentials.PasswordPolicy;
import io.steward.server.credentials.TokenRepository;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finding and managing users. Support may manage platform users but not staff accounts; only an
 * admin creates, promotes or changes staff. Every change is audited in its own transaction; the
 * audit details name the fields that changed and the role/active values, never personal values.
 */
public final class UserService {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int MIN_SEARCH = 3;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

    private final Database db;
    private final Database reads;
    private final UserRepository users;
    private final TokenRepository tokens;
    private final AuditService audit;
    private final PasswordHasher hasher;
    private final Clock clock;

    /** @param reads where searches run: a read replica when one is configured, else {@code db} */
    public UserService(
            Database db,
            Database reads,
            UserRepository users,
            TokenRepository tokens,
            AuditService audit,
            PasswordHasher hasher,
            Clock clock) {
        this.db = db;
        this.reads = reads;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The list's query parameters as the caller wrote them. */
    public record ListQuery(
            Optional<String> q,
            Optional<String> role,
            Optional<String> status,
            Optional<String> dormantDays,
            Optional<String> limit,
            Optional<String> cursor) {}

    /** Reads and checks the filter part of a list query. */
    public UserFilter filter(ListQuery query) {
        // case and accents are folded by the database, the same way as the index it searches
        Optional<String> search = query.q().map(String::strip).filter(q -> !q.isEmpty());
        search.ifPresent(q -> {
            if (q.length() < MIN_SEARCH) {
                throw new ServiceException.Validation("q", "search needs at least " + MIN_SEARCH + " characters");
            }
            if (q.length() > 200) {
                throw new ServiceException.Validation("q", "search is longer than 200 characters");
            }
        });
        Optional<Role> role = query.role()
                .map(r -> Role.parse(r)
                        .orElseThrow(
                                () -> new ServiceException.Validation("role", "role must be one of " + roleNames())));
        UserFilter.Status status = query.status()
                .map(s -> switch (s) {
                    case "active" -> UserFilter.Status.ACTIVE;
                    case "inactive" -> UserFilter.Status.INACTIVE;
                    case "deleted" -> UserFilter.Status.DELETED;
                    default ->
                        throw new ServiceException.Validation("status", "status must be active, inactive or deleted");
                })
                .orElse(UserFilter.Status.NOT_DELETED);
        Optional<Instant> dormantSince = query.dormantDays().map(days -> {
            long n = number("dormantDays", days, 1, 3_650);
            return clock.instant().minus(Duration.ofDays(n));
        });
        return new UserFilter(search, role, status, dormantSince);
    }

    /** One page of users, newest first. */
    public Page<UserView> list(ListQuery query) {
        UserFilter filter = filter(query);
        int limit =
                query.limit().map(l -> (int) number("limit", l, 1, MAX_LIMIT)).orElse(DEFAULT_LIMIT);
        Keyset after = query.cursor().map(Keyset::decode).orElse(null);
        List<UserView> rows = (filter.search().isPresent() ? reads : db)
                .readInTransaction(tx -> users.list(tx, filter, after, limit));
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<UserView> page = rows.subList(0, limit);
        UserView last = page.getLast();
        return new Page<>(
                List.copyOf(page), Keyset.of(last.createdAt(), last.id()).encode());
    }

    /** A consumer of users that may fail while writing them out. */
    @FunctionalInterface
    public interface Sink {
        void accept(UserView user) throws java.io.IOException;
    }

    /** Rows an export reads per transaction. */
    static final int EXPORT_PAGE = 1_000;

    /**
     * Pages of exports read at once on this instance: however many exports run, they hold at most
     * this many of the pool's connections, so readiness, sign-in and searches always find one.
     */
    static final int EXPORT_READS = 2;

    private final java.util.concurrent.Semaphore exportReads = new java.util.concurrent.Semaphore(EXPORT_READS, true);

    private List<UserView> readPage(UserFilter filter, @Nullable Keyset after) throws java.io.IOException {
        try {
            exportReads.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("the export was stopped");
        }
        try {
            return db.readInTransaction(tx -> users.list(tx, filter, after, EXPORT_PAGE));
        } finally {
            exportReads.release();
        }
    }

    /**
     * Streams every user {@code filter} (from {@link #filter}) matches to {@code sink}, newest
     * first, then audits the export with the number of rows that left and whether all did. The
     * rows are read in pages of {@link #EXPORT_PAGE}, each in a short transaction of its own
     * (keyset-paged like the list), so no database connection waits while {@code sink} writes to
     * a slow client. A user created while the export runs may be missing from it.
     */
    public long export(Principal actor, UserFilter filter, ListQuery query, String requestId, Sink sink)
            throws java.io.IOException {
        long count = 0;
        boolean complete = false;
        try {
            Keyset after = null;
            while (true) {
                Keyset from = after;
                List<UserView> rows = readPage(filter, from);
                List<UserView> page = rows.subList(0, Math.min(EXPORT_PAGE, rows.size()));
                for (UserView user : page) {
                    sink.accept(user);
                    count++;
                }
                if (rows.size() <= EXPORT_PAGE) {
                    break;
                }
                after = Keyset.of(page.getLast().createdAt(), page.getLast().id());
            }
            complete = true;
        } finally {
            var details = new LinkedHashMap<String, Object>();
            details.put("format", "csv");
            details.put("rows", count);
            details.put("complete", complete);
            details.put("filter", describe(filter, query));
            db.inTransaction(tx -> {
                audit.record(
                        tx, new AuditService.Event(actor.userId(), "user.list_exported", null, requestId, details));
                return null;
            });
        }
        return count;
    }

    private static Map<String, Object> describe(UserFilter filter, ListQuery query) {
        var out = new LinkedHashMap<String, Object>();
        filter.role().ifPresent(r -> out.put("role", r.wireName()));
        out.put("status", filter.status().name().toLowerCase(Locale.ROOT));
        query.dormantDays().ifPresent(d -> out.put("dormantDays", d));
        // the search text may be a person's name: only record that there was one
        out.put("search", filter.search().isPresent());
        return out;
    }

    public UserDetail get(UUID id) {
        return db.read(tx -> users.detail(tx, id)).orElseThrow(() -> notFound(id));
    }

    /** What the audit trail says about a user, newest first: one page. */
    public Page<AuditEntry> history(UUID id, int limit, @Nullable Keyset after) {
        if (db.read(tx -> users.findById(tx, id)).isEmpty()) {
            throw notFound(id);
        }
        return audit.list(AuditRepository.Query.about(id, Optional.empty(), Optional.empty()), limit, after);
    }

    /**
     * Creates a user.
     *
     * @throws ServiceException.Forbidden when support creates a staff account
     * @throws ServiceException.Conflict when the e-mail is taken (any case)
     */
    public UserDetail create(Principal actor, CreateUserRequest request, String requestId) {
        String email = email(request.email());
        String name = name(request.name());
        if (request.role() == null) {
            throw new ServiceException.Validation("role", "role is required");
        }
        Role role = Role.parse(request.role())
                .orElseThrow(() -> new ServiceException.Validation("role", "role must be one of " + roleNames()));
        if (role.isStaff() && actor.role() != Role.ADMIN) {
            throw new ServiceException.Forbidden("only an admin may create staff accounts");
        }
        String passwordHash = null;
        if (role.isStaff()) {
            if (request.password() == null) {
                throw new ServiceException.Validation("password", "staff accounts need a password");
            }
            PasswordPolicy.check("password", request.password(), email);
            passwordHash = hasher.hash(request.password());
        } else if (request.password() != null) {
            throw new ServiceException.Validation(
                    "password", "only staff accounts have a Steward password; platform users sign in on the platform");
        }
        boolean active = request.active() == null || request.active();
        UUID id = UUID.randomUUID();
        String hash = passwordHash;
        db.inTransaction(tx -> {
            if (users.emailTaken(tx, email, null)) {
                throw new ServiceException.Conflict("a user with this e-mail already exists");
            }
            users.insert(tx, id, email, name, role, hash, active, clock.instant());
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "user.created",
                            id,
                            requestId,
                            Map.of("role", role.wireName(), "active", active)));
            return null;
        });
        return get(id);
    }

    /**
     * Changes name, e-mail, role or active state.
     *
     * @param expectedVersion from {@code If-Match}; a stale one is 412
     * @throws ServiceException.Forbidden when support touches a staff account or grants a staff role
     * @throws ServiceException.Conflict for a taken e-mail, an erased or restricted subject, or the last admin
     */
    public UserDetail update(
            Principal actor, UUID id, UpdateUserRequest request, OptionalLong expectedVersion, String requestId) {
        db.inTransaction(tx -> {
            if (request.role() != null || request.active() != null) {
                // before the row lock: every path that can take an admin away takes this one first
                users.lockAdmins(tx);
            }
            var locked = users.lock(tx, id).orElseThrow(() -> notFound(id));
            UserView before = locked.account().user();
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != before.version()) {
                throw new ServiceException.PreconditionFailed("the user was changed by someone else (now version "
                        + before.version() + "); reload and try again");
            }
            if (locked.anonymized() || locked.account().deletedAt() != null) {
                throw new ServiceException.Conflict("this user was erased or deleted and cannot be changed");
            }
            if (actor.role() != Role.ADMIN && before.role().isStaff()) {
                throw new ServiceException.Forbidden("only an admin may change staff accounts");
            }
            if (request.processingRestricted() != null) {
                return liftRestriction(tx, actor, id, request, locked.restricted(), requestId);
            }
            if (locked.restricted()) {
                if (before.role().isStaff() && securityDeactivation(request)) {
                    return deactivateRestricted(tx, actor, before, requestId);
                }
                throw new ServiceException.Conflict(
                        "processing of this user's data is restricted (GDPR Art. 18); lift the restriction first");
            }
            String email = request.email() == null ? before.email() : email(request.email());
            String name = request.name() == null ? before.name() : name(request.name());
            Role role = request.role() == null
                    ? before.role()
                    : Role.parse(request.role())
                            .orElseThrow(() ->
                                    new ServiceException.Validation("role", "role must be one of " + roleNames()));
            boolean active = request.active() == null ? before.active() : request.active();
            if (actor.role() != Role.ADMIN && (before.role().isStaff() || role.isStaff())) {
                throw new ServiceException.Forbidden("only an admin may change staff accounts or grant staff roles");
            }
            if (role.isStaff() && !before.role().isStaff() && locked.account().passwordHash() == null) {
                throw new ServiceException.Conflict(
                        "this user has no Steward password; create a separate staff account instead");
            }
            if (role != Role.ADMIN || !active) {
                LastAdmin.keep(users, tx, id, role != Role.ADMIN ? "demoting" : "deactivating");
            }
            if (!email.equalsIgnoreCase(before.email()) && users.emailTaken(tx, email, id)) {
                throw new ServiceException.Conflict("a user with this e-mail already exists");
            }
            var changed = new ArrayList<String>();
            if (!email.equals(before.email())) {
                changed.add("email");
            }
            if (!name.equals(before.name())) {
                changed.add("name");
            }
            if (role != before.role()) {
                changed.add("role");
            }
            if (active != before.active()) {
                changed.add("active");
            }
            if (changed.isEmpty()) {
                return null;
            }
            Instant now = clock.instant();
            users.update(tx, id, email, name, role, active, now);
            var details = new LinkedHashMap<String, Object>();
            details.put("fields", changed);
            if (role != before.role()) {
                details.put("role", Map.of("before", before.role().wireName(), "after", role.wireName()));
            }
            if (active != before.active()) {
                details.put("active", Map.of("before", before.active(), "after", active));
            }
            // a staff member who is deactivated or changes role starts again with a fresh sign-in
            if (before.role().isStaff() && (!active || role != before.role())) {
                details.put("tokensRevoked", tokens.revokeAllOf(tx, id, now, active ? "role changed" : "deactivated"));
            }
            audit.record(tx, new AuditService.Event(actor.userId(), "user.updated", id, requestId, details));
            return null;
        });
        return get(id);
    }

    /** Whether the change asks for nothing but deactivation. */
    private static boolean securityDeactivation(UpdateUserRequest request) {
        return Boolean.FALSE.equals(request.active())
                && request.email() == null
                && request.name() == null
                && request.role() == null;
    }

    /**
     * Deactivates a staff account whose processing is restricted: a restriction keeps the data as
     * it is, but never keeps a staff member signed in against an admin's decision. Audited as such.
     */
    private @Nullable Void deactivateRestricted(
            io.steward.server.db.Tx tx, Principal actor, UserView before, String requestId)
            throws java.sql.SQLException {
        if (!before.active()) {
            return null;
        }
        LastAdmin.keep(users, tx, before.id(), "deactivating");
        Instant now = clock.instant();
        users.update(tx, before.id(), before.email(), before.name(), before.role(), false, now);
        var details = new LinkedHashMap<String, Object>();
        details.put("fields", List.of("active"));
        details.put("active", Map.of("before", true, "after", false));
        details.put("processingRestricted", true);
        details.put("securityDeactivation", true);
        details.put("tokensRevoked", tokens.revokeAllOf(tx, before.id(), now, "deactivated"));
        audit.record(tx, new AuditService.Event(actor.userId(), "user.updated", before.id(), requestId, details));
        return null;
    }

    /**
     * Ends a restriction of processing (the subject's claim was settled). Restricting is done by
     * completing a restriction request; here it can only be lifted, and on its own.
     */
    private @Nullable Void liftRestriction(
            io.steward.server.db.Tx tx,
            Principal actor,
            UUID id,
            UpdateUserRequest request,
            boolean restricted,
            String requestId)
            throws java.sql.SQLException {
        if (Boolean.TRUE.equals(request.processingRestricted())
                || request.email() != null
                || request.name() != null
                || request.role() != null
                || request.active() != null) {
            throw new ServiceException.Validation(
                    "processingRestricted",
                    "processingRestricted can only be set to false, on its own; restrict through a GDPR request");
        }
        if (!restricted) {
            return null;
        }
        users.setRestricted(tx, id, false, clock.instant());
        audit.record(
                tx,
                new AuditService.Event(
                        actor.userId(),
                        "user.restriction_lifted",
                        id,
                        requestId,
                        Map.of("processingRestricted", false)));
        return null;
    }

    /**
     * Corrects a person's name or e-mail (GDPR Art. 16) in one transaction, with an audit entry
     * whose before and after values are encrypted with the subject's key.
     */
    public UserDetail rectify(Principal actor, UUID id, RectifyRequest request, String requestId) {
        if (request.name() == null && request.email() == null) {
            throw new ServiceException.Validation("name", "give the corrected name, e-mail or both");
        }
        String reason = request.reason();
        if (reason == null || reason.isBlank()) {
            throw new ServiceException.Validation("reason", "reason is required");
        }
        if (reason.length() > 2_000) {
            throw new ServiceException.Validation("reason", "reason is longer than 2000 characters");
        }
        db.inTransaction(tx -> {
            var locked = users.lock(tx, id).orElseThrow(() -> notFound(id));
            UserView before = locked.account().user();
            if (locked.anonymized() || locked.account().deletedAt() != null) {
                throw new ServiceException.Conflict("this user was erased or deleted and cannot be changed");
            }
            if (locked.restricted()) {
                throw new ServiceException.Conflict(
                        "processing of this user's data is restricted (GDPR Art. 18); lift the restriction first");
            }
            if (before.role().isStaff() && actor.role() != Role.ADMIN) {
                throw new ServiceException.Forbidden("only an admin may change staff accounts");
            }
            String email = request.email() == null ? before.email() : email(request.email());
            String name = request.name() == null ? before.name() : name(request.name());
            if (!email.equalsIgnoreCase(before.email()) && users.emailTaken(tx, email, id)) {
                throw new ServiceException.Conflict("a user with this e-mail already exists");
            }
            users.update(tx, id, email, name, before.role(), before.active(), clock.instant());
            var fields = new ArrayList<String>();
            var was = new LinkedHashMap<String, Object>();
            var now = new LinkedHashMap<String, Object>();
            if (!name.equals(before.name())) {
                fields.add("name");
                was.put("name", before.name());
                now.put("name", name);
            }
            if (!email.equals(before.email())) {
                fields.add("email");
                was.put("email", before.email());
                now.put("email", email);
            }
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "user.rectified",
                            id,
                            requestId,
                            Map.of("fields", fields),
                            Map.of("before", was, "after", now, "reason", reason.strip())));
            return null;
        });
        return get(id);
    }

    private static String email(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ServiceException.Validation("email", "email is required");
        }
        String email = raw.strip();
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new ServiceException.Validation("email", "email is not a valid address");
        }
        return email;
    }

    private static String name(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ServiceException.Validation("name", "name is required");
        }
        String name = raw.strip();
        if (name.length() > 200) {
            throw new ServiceException.Validation("name", "name is longer than 200 characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new ServiceException.Validation("name", "name contains control characters");
        }
        return name;
    }

    private static long number(String field, String raw, long min, long max) {
        try {
            long n = Long.parseLong(raw.strip());
            if (n < min || n > max) {
                throw new ServiceException.Validation(field, field + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ServiceException.Validation(field, field + " must be a whole number");
        }
    }

    private static String roleNames() {
        return java.util.Arrays.stream(Role.values())
                .map(Role::wireName)
                .toList()
                .toString();
    }

    private static ServiceException.NotFound notFound(UUID id) {
        return new ServiceException.NotFound("no user with id " + id);
    }
}
