package io.steward.server.benchmark;

import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.db.Keyset;
import io.steward.server.gdpr.SubjectDataRepository;
import io.steward.server.gdpr.SubjectExportService;
import io.steward.server.http.Json;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.users.UserFilter;
import io.steward.server.users.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * On N demo users (default 1 000 000): user search by a 3-letter fragment and by two, keyset page 1 against
 * page 10 000 (and OFFSET as the baseline), export of a subject with 10 000 related rows, and
 * audit verification of 1 000 000 entries against a plain read of the same rows. Not a test; see
 * docs/benchmarks.md.
 */
public final class UsersGdprAuditBenchmark {
    private UsersGdprAuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int auditEntries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = Files.createTempDirectory("steward-bench");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            TestDatabase.seedDemo(db, Clock.systemUTC(), users);
            try (var c = pg.owner().open()) {
                c.createStatement().execute("VACUUM ANALYZE"); // VACUUM runs outside a transaction
            }
            search(db);
            pages(db, Math.min(10_000, users / 100));
            export(db);
            verify(db, auditEntries);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void search(Database db) {
        var repo = new UserRepository();
        List<String> names = db.read(tx -> strings(
                tx, "SELECT lower(name) FROM users WHERE random() < 4000.0 / (SELECT count(*) FROM users) LIMIT 2000"));
        var random = new Random(42);
        List<String> fragments = new ArrayList<>();
        while (fragments.size() < 300) {
            String name = names.get(random.nextInt(names.size())).replace(" ", "");
            if (name.length() >= 4) {
                int at = random.nextInt(name.length() - 3);
                fragments.add(name.substring(at, at + 3));
            }
        }
        var plain = new UserFilter(Optional.empty(), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
        report("search q=<3 letters>, first page of 50", searches(db, fragments));
        report("baseline: first page, no search", time(300, i -> db.read(tx -> repo.list(tx, plain, null, 50))));
        // the same page as one query, left to the planner's estimate of how common the fragment is
        report(
                "baseline: one query, the planner's choice",
                time(
                        fragments.size(),
                        i -> db.read(tx -> firstPage(
                                tx,
                                "steward_fold(email || ' ' || name) LIKE ? ORDER BY created_at DESC, id DESC LIMIT 51",
                                fragments.get(i)))));
        // the naive way: ILIKE over every row (indexes kept out of it), newest first, first 50
        report(
                "baseline: naive ILIKE scan, same fragments (first 30)",
                time(
                        30,
                        i -> db.inTransaction(tx -> {
                            try (var s = tx.connection().createStatement()) {
                                s.execute("SET LOCAL enable_indexscan = off");
                                s.execute("SET LOCAL enable_bitmapscan = off");
                            }
                            return firstPage(
                                    tx,
                                    "(email ILIKE ? OR name ILIKE ?) ORDER BY created_at DESC, id DESC LIMIT 50",
                                    fragments.get(i));
                        })));
        // two words as support types them: 3 letters of the last name, then 3 of the first name
        List<String> pairs = new ArrayList<>();
        while (pairs.size() < 300) {
            String[] words = names.get(random.nextInt(names.size())).split(" ");
            if (words.length == 2 && words[0].length() >= 3 && words[1].length() >= 3) {
                int first = random.nextInt(words[0].length() - 2);
                int last = random.nextInt(words[1].length() - 2);
                pairs.add(words[1].substring(last, last + 3) + " " + words[0].substring(first, first + 3));
            }
        }
        report("search q=<3 letters> <3 letters>, first page of 50", searches(db, pairs));
    }

    /** The time of each search's first page of 50, as the list endpoint asks for it. */
    private static double[] searches(Database db, List<String> queries) {
        var repo = new UserRepository();
        return time(
                queries.size(),
                i -> db.readInTransaction(tx -> repo.list(
                        tx,
                        new UserFilter(
                                Optional.of(queries.get(i)),
                                Optional.empty(),
                                UserFilter.Status.NOT_DELETED,
                                Optional.empty()),
                        null,
                        50)));
    }

    /** Reads the users a baseline query finds for {@code fragment} in the e-mail or the name. */
    private static Void firstPage(io.steward.server.db.Tx tx, String condition, String fragment)
            throws java.sql.SQLException {
        try (var ps = tx.connection()
                .prepareStatement("SELECT id, email, name FROM users WHERE deleted_at IS NULL AND " + condition)) {
            for (int i = 1; i <= condition.chars().filter(c -> c == '?').count(); i++) {
                ps.setString(i, "%" + fragment + "%");
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
        }
        return null;
    }

    /** Page {@code page} of 50 (10 000 on a million users; fewer on small runs). */
    private static void pages(Database db, int page) {
        var repo = new UserRepository();
        var plain = new UserFilter(Optional.empty(), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
        Keyset deep = db.read(tx -> {
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT created_at, id FROM users WHERE"
                            + " deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET " + (50L * (page - 1) - 1)
                            + " LIMIT 1")) {
                rs.next();
                return Keyset.of(rs.getTimestamp(1).toInstant(), rs.getObject(2, UUID.class));
            }
        });
        report("keyset page 1 (50 rows)", time(300, i -> db.read(tx -> repo.list(tx, plain, null, 50))));
        report("keyset page " + page + " (50 rows)", time(300, i -> db.read(tx -> repo.list(tx, plain, deep, 50))));
        report(
                "baseline: the same page by OFFSET",
                time(
                        30,
                        i -> db.read(tx -> strings(
                                tx,
                                "SELECT email FROM users WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET "
                                        + 50L * (page - 1) + " LIMIT 50"))));
    }

    private static void export(Database db) {
        UUID subject = db.read(tx -> {
            try (var rs = tx.connection().createStatement().executeQuery("SELECT id FROM users LIMIT 1")) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        });
        addHistory(db, subject);
        var audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC());
        var exports =
                new SubjectExportService(db, new SubjectDataRepository(), audit, Clock.systemUTC(), Json.mapper());
        int[] size = new int[1];
        report(
                "export of a subject with 10 000+ related rows",
                time(20, i -> size[0] = exports.export(subject).json().length));
        System.out.printf("  (document: %,d bytes)%n", size[0]);

        // erasure of five such subjects, one transaction each (as completing the request does)
        var erasure = new io.steward.server.gdpr.ErasureRepository();
        var keys = new SubjectKeyRepository();
        List<UUID> heavy = db.read(tx -> {
            var ids = new ArrayList<UUID>();
            try (var rs = tx.connection().createStatement().executeQuery("SELECT id FROM users OFFSET 10 LIMIT 5")) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        });
        heavy.forEach(id -> addHistory(db, id));
        int[] rows = new int[1];
        report(
                "erasure of a subject with 10 000+ related rows (anonymise every table, destroy the key)",
                time(
                        heavy.size(),
                        i -> db.inTransaction(tx -> {
                            rows[0] = erasure.anonymise(tx, heavy.get(i), java.time.Instant.now()).values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum();
                            keys.destroy(tx, heavy.get(i), java.time.Instant.now());
                            return null;
                        })));
        System.out.printf("  (rows changed per erasure: %,d)%n", rows[0]);
    }

    /** Gives a subject 10 000 more rows: 4 000 communications, 3 000 e-mail logs, 3 000 sessions. */
    private static void addHistory(Database db, UUID subject) {
        db.inTransaction(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement("INSERT INTO communications (id, user_id, channel, subject,"
                            + " body) SELECT gen_random_uuid(), ?, 'email', 'Reminder ' || g, 'Body of message ' || g FROM"
                            + " generate_series(1, 4000) g")) {
                ps.setObject(1, subject);
                ps.execute();
            }
            try (var ps = tx.connection()
                    .prepareStatement("INSERT INTO email_logs (id, user_id, to_address, template,"
                            + " status) SELECT gen_random_uuid(), ?, 'x@example.org', 'newsletter', 'sent' FROM"
                            + " generate_series(1, 3000)")) {
                ps.setObject(1, subject);
                ps.execute();
            }
            try (var ps = tx.connection()
                    .prepareStatement("INSERT INTO user_sessions (id, user_id, started_at,"
                            + " ip_address, user_agent) SELECT gen_random_uuid(), ?, now(), '10.0.0.1', 'Firefox' FROM"
                            + " generate_series(1, 3000)")) {
                ps.setObject(1, subject);
                ps.execute();
            }
            return null;
        });
    }

    private static void verify(Database db, int entries) throws SQLException {
        var audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC());
        loadAudit(db, audit, entries);
        for (int run = 0; run < 2; run++) {
            long t0 = System.nanoTime();
            var result = audit.verify();
            double verifySeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            long[] rows = new long[1];
            db.inTransaction(tx -> {
                new AuditRepository().walk(tx, row -> ++rows[0] > 0);
                return null;
            });
            double readSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf(
                    "audit verify: %.1f s for %,d entries (valid=%s) | baseline, the same rows read without"
                            + " hashing: %.1f s%n",
                    verifySeconds, result.checked(), result.valid(), readSeconds);
        }
    }

    /**
     * Appends {@code entries} failed-sign-in entries to the trail through COPY, each correctly
     * chained to the one before (a valid trail, spread over the last 30 days).
     */
    static void loadAudit(Database db, AuditService audit, int entries) throws SQLException {
        long loadStarted = System.nanoTime();
        db.inTransaction(tx -> {
            byte[] prev = new byte[32];
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    prev = rs.getBytes(1);
                }
            }
            var copy = tx.connection()
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY audit_log (id, at, actor_id,"
                                    + " action, subject_id, request_id, details, prev_hash, hash) FROM STDIN WITH (FORMAT csv)");
            Instant at = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
            var sb = new StringBuilder();
            var hex = HexFormat.of();
            for (int i = 0; i < entries; i++) {
                UUID id = UUID.randomUUID();
                UUID subject = new UUID(0, i % 50_000);
                at = at.plusNanos(1_000);
                String details = "{\"ip\":\"10.0.0." + (i % 250) + "\",\"reason\":\"bad_password\"}";
                byte[] hash = AuditService.chain(
                        prev, audit.canonicalJson(id, at, null, "auth.login_failed", subject, "bench-" + i, details));
                sb.append(id)
                        .append(',')
                        .append(at)
                        .append(",,auth.login_failed,")
                        .append(subject)
                        .append(",bench-")
                        .append(i)
                        .append(",\"")
                        .append(details.replace("\"", "\"\""))
                        .append("\",\\x")
                        .append(hex.formatHex(prev))
                        .append(",\\x")
                        .append(hex.formatHex(hash))
                        .append('\n');
                prev = hash;
                if (sb.length() > 1 << 20) {
                    byte[] bytes = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    sb.setLength(0);
                }
            }
            byte[] bytes = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
            return null;
        });
        System.out.printf("loaded %,d audit entries in %.1f s%n", entries, (System.nanoTime() - loadStarted) / 1e9);
    }

    private static List<String> strings(io.steward.server.db.Tx tx, String sql) throws SQLException {
        var out = new ArrayList<String>();
        try (var rs = tx.connection().createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Milliseconds of each of {@code n} calls. */
    private static double[] time(int n, java.util.function.IntConsumer call) {
        for (int i = 0; i < Math.min(n, 20); i++) {
            call.accept(i); // warm-up
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.accept(i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static void report(String what, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%-48s p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (n=%d)%n",
                what,
                sorted[sorted.length / 2],
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1],
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1],
                sorted[sorted.length - 1],
                sorted.length);
    }
}
