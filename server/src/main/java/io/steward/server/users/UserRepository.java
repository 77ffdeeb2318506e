package io.steward.server.users;

import io.steward.server.api.Role;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** SQL for the {@code users} table. */
public final class UserRepository {

    /** A user row with the sign-in bookkeeping the API never shows. */
    public record Account(
            UserView user,
            @Nullable String passwordHash,
            @Nullable Instant deletedAt) {}

    static final String COLUMNS =
            "id, email, name, role, active, email_verified, created_at, updated_at, last_login, version,"
                    + " password_hash, deleted_at";

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

    /** Inserts an active user; the e-mail must be free (unique regardless of case). */
    public void insert(Tx tx, UUID id, String email, String name, Role role, @Nullable String passwordHash, Instant now)
            throws SQLException {
        insert(tx, id, email, name, role, passwordHash, true, now);
    }

    /** Inserts a user; staff accounts count as e-mail-verified (staff created them). */
    public void insert(
            Tx tx,
            UUID id,
            String email,
            String name,
            Role role,
            @Nullable String passwordHash,
            boolean active,
            Instant now)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO users (id, email, name, role, password_hash, active, email_verified,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, email);
            ps.setString(3, name);
            ps.setString(4, role.wireName());
            ps.setString(5, passwordHash);
            ps.setBoolean(6, active);
            ps.setBoolean(7, role.isStaff());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** Whether another user already has this e-mail (any case). */
    public boolean emailTaken(Tx tx, String email, @Nullable UUID except) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT 1 FROM users WHERE lower(email) = lower(?) AND id IS DISTINCT FROM ?")) {
            ps.setString(1, email);
            ps.setObject(2, except);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * How many of the newest users a search reads per row it wants before it gives up walking and
     * collects every match instead: a search rarer than one in this many is cheaper to find
     * through the trigram index (see docs/benchmarks.md, "User search").
     */
    static final int WALK_ROWS_PER_MATCH = 500;

    /**
     * What a search compares each word with: the e-mail and the name, lower case and without
     * accents; the expression of the trigram index {@code users_search_trgm} (migration V18).
     */
    static final String FOLDED = "steward_fold(email || ' ' || name)";

    /**
     * {@link #FOLDED} with {@code steward_fold}'s body written out, for the walk, which computes
     * it on every row it reads: PostgreSQL cannot inline the function (it is IMMUTABLE over the
     * STABLE {@code unaccent}), and a call of it costs about 1.4 times its body. Only
     * {@link #FOLDED} reaches the index.
     */
    static final String FOLDED_INLINE =
            "pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, email || ' ' || name))";

    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * One page of users, newest first, strictly after {@code after}; fetches one row more than
     * {@code limit} so the caller knows whether another page follows. A search keeps the users
     * whose e-mail or name holds every word of it, in any order, ignoring case and accents.
     *
     * <p>A search runs in two steps whose cost does not hang on the planner's guess of how common
     * its words are: first a walk down the newest-first index over a bounded number of users,
     * which fills the page when they are common; if it does not, every match is collected through
     * the trigram index and sorted, which is cheap precisely because the match is rare. {@code tx}
     * must be a transaction ({@code Database.readInTransaction}): the second step sets its plan for
     * the rest of it.
     */
    public List<UserView> list(Tx tx, UserFilter filter, @Nullable Keyset after, int limit) throws SQLException {
        var params = new ArrayList<Object>();
        if (filter.search().isEmpty()) {
            return page(tx, listSql(filter, List.of(), after, limit, params), params);
        }
        if (tx.connection().getAutoCommit()) {
            throw new IllegalStateException("a user search needs a transaction");
        }
        List<String> words = words(tx, filter);
        if (words.isEmpty()) {
            return List.of(); // nothing but accents, say: nothing to look for
        }
        List<UserView> recent = page(tx, recentSql(filter, words, after, limit, params), params);
        if (recent.size() > limit) {
            return recent;
        }
        params.clear();
        collectEveryMatch(tx);
        return page(tx, listSql(filter, words, after, limit, params), params);
    }

    /**
     * The words of the filter's search as the index holds them (folded by {@code steward_fold}),
     * each once, in the order typed; none without a search.
     */
    static List<String> words(Tx tx, UserFilter filter) throws SQLException {
        if (filter.search().isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT steward_fold(?)")) {
            ps.setString(1, filter.search().get());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return SPACES.splitAsStream(rs.getString(1))
                        .filter(word -> !word.isEmpty())
                        .distinct()
                        .toList();
            }
        }
    }

    private List<UserView> page(Tx tx, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = Statements.prepare(tx, sql, params);
                ResultSet rs = ps.executeQuery()) {
            var page = new ArrayList<UserView>();
            while (rs.next()) {
                page.add(user(rs));
            }
            return page;
        }
    }

    /**
     * For the rest of the transaction: matches come from the trigram index, never a walk or a full
     * scan, and on this connection alone: the few rows a rare search finds are fetched sooner than
     * parallel workers start (which the planner would otherwise take for a recheck through
     * {@code steward_fold}, a function it reckons costly).
     */
    private static void collectEveryMatch(Tx tx) throws SQLException {
        try (var statement = tx.connection().createStatement()) {
            statement.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off;"
                    + " SET LOCAL max_parallel_workers_per_gather = 0");
        }
    }

    /** The page query and its parameters, for a search's folded {@code words} (none without one). */
    static String listSql(
            UserFilter filter, List<String> words, @Nullable Keyset after, int limit, List<Object> params) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM users WHERE true");
        attributes(filter, sql, params);
        search(FOLDED, words, sql, params);
        keyset(after, sql, params);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        return sql.toString();
    }

    /** A search's first step: the page from the newest {@link #WALK_ROWS_PER_MATCH} users per row wanted. */
    static String recentSql(
            UserFilter filter, List<String> words, @Nullable Keyset after, int limit, List<Object> params) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS + ", " + FOLDED_INLINE
                + " AS folded FROM users" + " WHERE true");
        attributes(filter, sql, params);
        keyset(after, sql, params);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?) recent WHERE true");
        params.add(WALK_ROWS_PER_MATCH * (limit + 1));
        search("folded", words, sql, params);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        return sql.toString();
    }

    private static void keyset(@Nullable Keyset after, StringBuilder sql, List<Object> params) {
        if (after != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.uuid());
        }
    }

    /**
     * EXPLAIN of the page query, one plan line per element; for a search, of its second step
     * (which leaves {@code tx} set for it).
     */
    static List<String> explainList(Tx tx, UserFilter filter, @Nullable Keyset after, int limit) throws SQLException {
        List<String> words = words(tx, filter);
        if (!words.isEmpty()) {
            collectEveryMatch(tx);
        }
        var params = new ArrayList<Object>();
        return explain(tx, listSql(filter, words, after, limit, params), params);
    }

    /** EXPLAIN of a search's first step, the walk over the newest users. */
    static List<String> explainWalk(Tx tx, UserFilter filter, @Nullable Keyset after, int limit) throws SQLException {
        var params = new ArrayList<Object>();
        return explain(tx, recentSql(filter, words(tx, filter), after, limit, params), params);
    }

    private static List<String> explain(Tx tx, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = Statements.prepare(tx, "EXPLAIN " + sql, params);
                ResultSet rs = ps.executeQuery()) {
            var plan = new ArrayList<String>();
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
            return plan;
        }
    }

    /** The filter's conditions on state, role and last sign-in. */
    private static void attributes(UserFilter filter, StringBuilder sql, List<Object> params) {
        switch (filter.status()) {
            case NOT_DELETED -> sql.append(" AND deleted_at IS NULL");
            case ACTIVE -> sql.append(" AND active AND deleted_at IS NULL");
            case INACTIVE -> sql.append(" AND NOT active AND deleted_at IS NULL");
            case DELETED -> sql.append(" AND deleted_at IS NOT NULL");
        }
        filter.role().ifPresent(role -> {
            sql.append(" AND role = ?");
            params.add(role.wireName());
        });
        filter.dormantSince().ifPresent(since -> {
            if (filter.role().isEmpty()) {
                sql.append(" AND role IN ('support', 'auditor', 'admin')");
            }
            sql.append(" AND (last_login IS NULL OR last_login < ?)");
            params.add(Timestamp.from(since));
        });
    }

    /** Each folded word somewhere in {@code folded}; {@code %}, {@code _} and {@code \} in a word match themselves. */
    private static void search(String folded, List<String> words, StringBuilder sql, List<Object> params) {
        for (String word : words) {
            sql.append(" AND ").append(folded).append(" LIKE ?");
            params.add("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
    }

    /** A user with contact details and counts of related records. */
    public Optional<UserDetail> detail(Tx tx, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT " + COLUMNS + ", anonymized, processing_restricted, marketing_consent, phone,"
                        + " street, city, postal_code, country, date_of_birth,"
                        + " (SELECT count(*) FROM enrollments WHERE user_id = u.id) AS enrollments,"
                        + " (SELECT count(*) FROM communications WHERE user_id = u.id) AS communications,"
                        + " (SELECT count(*) FROM user_sessions WHERE user_id = u.id) AS sessions,"
                        + " (SELECT count(*) FROM email_logs WHERE user_id = u.id) AS email_logs,"
                        + " (SELECT count(*) FROM gdpr_requests WHERE user_id = u.id) AS gdpr_requests,"
                        + " (SELECT count(*) FROM audit_log WHERE subject_id = u.id) AS audit_entries"
                        + " FROM users u WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UserView u = user(rs);
                java.sql.Date born = rs.getDate("date_of_birth");
                var counts = new UserDetail.Counts(
                        rs.getLong("enrollments"),
                        rs.getLong("communications"),
                        rs.getLong("sessions"),
                        rs.getLong("email_logs"),
                        rs.getLong("gdpr_requests"),
                        rs.getLong("audit_entries"));
                return Optional.of(new UserDetail(
                        u.id(),
                        u.email(),
                        u.name(),
                        u.role(),
                        u.active(),
                        u.emailVerified(),
                        u.createdAt(),
                        u.updatedAt(),
                        u.lastLogin(),
                        u.version(),
                        instant(rs, "deleted_at"),
                        rs.getBoolean("anonymized"),
                        rs.getBoolean("processing_restricted"),
                        rs.getBoolean("marketing_consent"),
                        rs.getString("phone"),
                        rs.getString("street"),
                        rs.getString("city"),
                        rs.getString("postal_code"),
                        rs.getString("country"),
                        born == null ? null : born.toLocalDate(),
                        counts));
            }
        }
    }

    /** A locked account and whether its data may change. */
    public record Locked(Account account, boolean anonymized, boolean restricted) {}

    /** The account row, locked for the rest of the transaction, with its GDPR flags. */
    public Optional<Locked> lock(Tx tx, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT " + COLUMNS + ", anonymized, processing_restricted FROM users WHERE id = ?"
                        + " FOR UPDATE")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Locked(
                                account(rs), rs.getBoolean("anonymized"), rs.getBoolean("processing_restricted")))
                        : Optional.empty();
            }
        }
    }

    /** Writes the editable fields and moves the version on. */
    public void update(Tx tx, UUID id, String email, String name, Role role, boolean active, Instant now)
            throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE users SET email = ?, name = ?, role = ?, active = ?, updated_at = ?,"
                        + " version = version + 1 WHERE id = ?")) {
            ps.setString(1, email);
            ps.setString(2, name);
            ps.setString(3, role.wireName());
            ps.setBoolean(4, active);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    /** Sets or lifts GDPR Art. 18 restriction of processing. */
    public void setRestricted(Tx tx, UUID id, boolean restricted, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("UPDATE users SET processing_restricted = ?, updated_at = ?, version = version + 1"
                        + " WHERE id = ?")) {
            ps.setBoolean(1, restricted);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** An admin who can act as one: active, not deleted, erased or restricted. */
    static final String ACTIVE_ADMIN =
            "role = 'admin' AND active AND deleted_at IS NULL AND NOT anonymized AND NOT processing_restricted";

    /**
     * Serialises, across every instance, the changes that could leave no active admin, for the
     * rest of the transaction; taken before any user row is locked.
     */
    public void lockAdmins(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, 0x537465776172644DL); // "StewardM"
            ps.execute();
        }
    }

    /** Whether {@code id} is an active admin, and how many other active admins there are. */
    public record Admins(boolean isActiveAdmin, int others) {}

    public Admins admins(Tx tx, UUID id) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT coalesce(bool_or(id = ?), false), count(*) FILTER (WHERE id <> ?) FROM users"
                        + " WHERE " + ACTIVE_ADMIN)) {
            ps.setObject(1, id);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Admins(rs.getBoolean(1), rs.getInt(2));
            }
        }
    }

    /**
     * What ties {@code actor} to {@code account}: each time the actor created the account,
     * re-activated it or changed its role (the audit trail's {@code staff_links}), oldest first.
     */
    public record Link(String link, Instant at) {}

    public List<Link> links(Tx tx, UUID actor, UUID account) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement(
                        "SELECT link, at FROM staff_links WHERE actor_id = ? AND subject_id = ? ORDER BY at")) {
            ps.setObject(1, actor);
            ps.setObject(2, account);
            var found = new ArrayList<Link>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Link(rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
            }
            return found;
        }
    }

    /** Records a successful sign-in: sets {@code last_login}. */
    public void recordLogin(Tx tx, UUID id, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE users SET last_login = ? WHERE id = ?")) {
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
        return new Account(user(rs), rs.getString("password_hash"), instant(rs, "deleted_at"));
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
