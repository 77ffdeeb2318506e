package io.steward.server.demo;

import io.steward.server.db.Database;
import io.steward.server.db.DatabaseRoles;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Times {@code --demo=N} on the embedded PostgreSQL with production settings, next to a baseline
 * in the same run: PostgreSQL generating N bare user rows itself ({@code INSERT … SELECT
 * generate_series}) into the same indexed table, i.e. the cost of the rows and indexes alone,
 * without any Java or network in the way. Not a test; see docs/benchmarks.md for how to run it.
 */
public final class DemoBenchmark {
    private DemoBenchmark() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("steward-bench");
        try {
            run(users, dir);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(int users, Path dir) throws Exception {
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir)) {
            try (var c = pg.superuser().open()) {
                c.createStatement().execute("CREATE DATABASE baseline OWNER " + DatabaseRoles.OWNER);
            }
            long baselineMillis;
            try (Database baseline = Database.open(pg.owner().withDatabase("baseline"), null, true)) {
                long t0 = System.nanoTime();
                baseline.inTransaction(tx -> tx.connection()
                        .createStatement()
                        .execute("INSERT INTO users (id, email, name, role, created_at, updated_at)"
                                + " SELECT gen_random_uuid(), 'user' || g || '@example.org', 'User ' || g, 'student',"
                                + " now() - g * interval '1 minute', now() FROM generate_series(1, " + users + ") g"));
                baselineMillis = (System.nanoTime() - t0) / 1_000_000;
            }
            try (Database db = Database.open(pg.server(), pg.owner(), true)) {
                var summary = TestDatabase.seedDemo(db, Clock.systemUTC(), users);
                long rows = summary.users()
                        + summary.programs()
                        + summary.enrollments()
                        + summary.communications()
                        + summary.sessions()
                        + summary.emailLogs();
                System.out.printf(
                        "users=%d enrollments=%d communications=%d sessions=%d emailLogs=%d rows=%d%n",
                        summary.users(),
                        summary.enrollments(),
                        summary.communications(),
                        summary.sessions(),
                        summary.emailLogs(),
                        rows);
                System.out.printf(
                        "demo seed:  %6.1f s  (%,.0f rows/s, all tables)%n",
                        summary.millis() / 1000.0, rows * 1000.0 / summary.millis());
                System.out.printf(
                        "baseline:   %6.1f s  (%,.0f users/s, bare users generated inside PostgreSQL)%n",
                        baselineMillis / 1000.0, users * 1000.0 / baselineMillis);
            }
        }
    }
}
