package io.steward.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.db.Database;
import io.steward.server.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoServiceTest {
    static final Instant NOW = Instant.parse("2026-11-28T15:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static Database db;
    static DemoService.Summary first;

    @BeforeAll
    static void seed() {
        db = TestDatabase.fresh("demo");
        first = TestDatabase.seedDemo(db, CLOCK, 2_000);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static long count(Database db, String sql) {
        return db.read(tx -> {
            try (var ps = tx.connection().prepareStatement(sql);
                    var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String text(Database db, String sql) {
        return db.read(tx -> {
            try (var ps = tx.connection().prepareStatement(sql);
                    var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    @Test
    void seedingLoadsUsersWithTwoYearsOfHistory() {
        assertThat(first.alreadySeeded()).isFalse();
        assertThat(count(db, "SELECT count(*) FROM users")).isEqualTo(2_000);
        assertThat(count(db, "SELECT count(*) FROM programs"))
                .isEqualTo(first.programs())
                .isPositive();
        assertThat(count(db, "SELECT count(*) FROM enrollments"))
                .isEqualTo(first.enrollments())
                .isBetween(2_000L, 4_000L);
        assertThat(count(db, "SELECT count(*) FROM communications"))
                .isEqualTo(first.communications())
                .isBetween(1_500L, 2_500L);
        assertThat(count(db, "SELECT count(*) FROM user_sessions"))
                .isEqualTo(first.sessions())
                .isPositive();
        assertThat(count(db, "SELECT count(*) FROM email_logs"))
                .isEqualTo(first.emailLogs())
                .isPositive();
        assertThat(count(db, "SELECT count(DISTINCT country) FROM users")).isGreaterThanOrEqualTo(6);
        assertThat(count(db, "SELECT count(*) FROM users WHERE name ~ '^[[:alpha:]'' .-]+ [[:alpha:]'' .-]+$'"))
                .as("names look like names")
                .isGreaterThan(1_900);
    }

    @Test
    void valuesArriveAsTheirColumnTypes() {
        // written in COPY's binary form: dates, timestamps, numerics, addresses and text as meant
        assertThat(text(
                        db,
                        "SELECT min(date_of_birth) >= '1950-01-01' AND max(date_of_birth) < '2005-01-01'"
                                + " FROM users"))
                .isEqualTo("t");
        assertThat(text(
                        db,
                        "SELECT bool_and(grade BETWEEN 50 AND 100 AND scale(grade) = 2) FROM enrollments"
                                + " WHERE grade IS NOT NULL"))
                .isEqualTo("t");
        assertThat(count(db, "SELECT count(*) FROM enrollments WHERE grade IS NOT NULL"))
                .isPositive();
        assertThat(text(
                        db,
                        "SELECT bool_and(family(ip_address) = 4 AND masklen(ip_address) = 32)"
                                + " FROM user_sessions WHERE ip_address IS NOT NULL"))
                .isEqualTo("t");
        assertThat(text(
                        db,
                        "SELECT bool_and(extract(microseconds FROM created_at)::bigint % 1000000 = 0"
                                + " AND created_at < '2026-11-28T15:30:00Z') FROM users"))
                .isEqualTo("t");
        assertThat(text(db, "SELECT bool_and(email ~ '^[a-z.]+[0-9]+@[a-z0-9.-]+$' AND length(name) > 2) FROM users"))
                .isEqualTo("t");
    }

    @Test
    void theSeededTablesHavePlannerStatisticsAtOnce() {
        for (String table : new String[] {"users", "enrollments", "communications", "user_sessions", "email_logs"}) {
            assertThat(count(
                            db,
                            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = '" + table
                                    + "' AND last_analyze IS NOT NULL"))
                    .as("%s analysed", table)
                    .isEqualTo(1);
        }
    }

    @Test
    void demoUsersArePlatformUsersWhoCannotSignIn() {
        assertThat(count(db, "SELECT count(*) FROM users WHERE role NOT IN ('student', 'instructor')"))
                .isZero();
        assertThat(count(db, "SELECT count(*) FROM users WHERE password_hash IS NOT NULL"))
                .isZero();
        assertThat(count(db, "SELECT count(*) FROM users WHERE role = 'instructor'"))
                .isBetween(40L, 200L);
    }

    @Test
    void emailsAreUniqueRegardlessOfCase() {
        assertThat(count(db, "SELECT count(DISTINCT lower(email)) FROM users")).isEqualTo(2_000);
        assertThat(count(db, "SELECT count(*) FROM users WHERE email !~ '^[a-z]+[.]?[a-z]*[0-9]+@[a-z0-9.-]+$'"))
                .isZero();
    }

    @Test
    void everythingHappenedInTheLastTwoYearsAndNothingInTheFuture() {
        for (String sql : new String[] {
            "SELECT count(*) FROM users WHERE created_at > now() OR created_at < timestamptz '2024-11-27'",
            "SELECT count(*) FROM users WHERE last_login < created_at",
            "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.enrolled_at < u.created_at",
            "SELECT count(*) FROM enrollments WHERE completed_at < enrolled_at OR (status = 'completed') <> (grade IS NOT NULL)",
            "SELECT count(*) FROM communications c JOIN users u ON u.id = c.user_id WHERE c.sent_at < u.created_at"
                    + " OR c.sent_at > timestamptz '2026-11-28'",
            "SELECT count(*) FROM email_logs l JOIN users u ON u.id = l.user_id WHERE l.to_address <> u.email",
        }) {
            assertThat(count(db, sql)).as(sql).isZero();
        }
    }

    @Test
    void seedingTwiceAddsNothing() {
        var again = TestDatabase.seedDemo(db, CLOCK, 2_000);
        assertThat(again.alreadySeeded()).isTrue();
        assertThat(count(db, "SELECT count(*) FROM users")).isEqualTo(2_000);
        assertThat(count(db, "SELECT count(*) FROM demo_seed")).isEqualTo(1);
    }

    @Test
    void theSameCountOnTheSameDayGivesTheSameRows() {
        try (Database other = TestDatabase.openAsOwner(TestDatabase.createEmpty("demo_again"))) {
            new DemoService(other, new DemoRepository(), Clock.fixed(NOW.plusSeconds(3_600), ZoneOffset.UTC))
                    .seed(2_000);
            for (String table :
                    new String[] {"users", "programs", "enrollments", "communications", "user_sessions", "email_logs"
                    }) {
                String digest = "SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM " + table + " t";
                assertThat(text(other, digest)).as(table).isEqualTo(text(db, digest));
            }
        }
    }

    static final String SCHEMA_SHAPE = "SELECT md5(string_agg(d, ';' ORDER BY d)) FROM ("
            + " SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public'"
            + " UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
            + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace) x";

    @Test
    void theSchemaIsExactlyAsBeforeAfterSeeding() {
        try (Database empty = TestDatabase.fresh("demo_shape")) {
            assertThat(text(db, SCHEMA_SHAPE)).isEqualTo(text(empty, SCHEMA_SHAPE));
        }
    }

    @Test
    void aSeedThatFailsLeavesNothingBehind() {
        String firstEmail = text(db, "SELECT email FROM users ORDER BY created_at DESC, id LIMIT 1");
        try (Database other = TestDatabase.openAsOwner(TestDatabase.createEmpty("demo_failure"))) {
            String shape = text(other, SCHEMA_SHAPE);
            other.inTransaction(tx -> {
                try (var ps = tx.connection()
                        .prepareStatement(
                                "INSERT INTO users (id, email, name, role) VALUES (gen_random_uuid(), ?, 'Early Bird', 'student')")) {
                    ps.setString(1, firstEmail.toUpperCase(java.util.Locale.ROOT));
                    return ps.executeUpdate();
                }
            });
            var seeding = new DemoService(other, new DemoRepository(), CLOCK);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> seeding.seed(2_000))
                    .isInstanceOf(io.steward.server.db.DataAccessException.class);
            assertThat(count(other, "SELECT count(*) FROM users")).isEqualTo(1);
            assertThat(count(other, "SELECT count(*) FROM enrollments")).isZero();
            assertThat(count(other, "SELECT count(*) FROM demo_seed")).isZero();
            assertThat(text(other, SCHEMA_SHAPE))
                    .as("indexes and constraints intact")
                    .isEqualTo(shape);
        }
    }

    @Test
    void indexesLeftUnbuiltByAStoppedServerAreBuiltAtTheNextStart() {
        try (Database other = TestDatabase.openAsOwner(TestDatabase.createEmpty("demo_resume"))) {
            var seeding = new DemoService(other, new DemoRepository(), CLOCK);
            seeding.seed(500);
            String shape = text(other, SCHEMA_SHAPE);
            String definition = text(other, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_search_trgm'");
            String built = text(other, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_created_keyset'");
            // what a stop between the seeding's commit and its index builds leaves behind
            other.inTransaction(tx -> {
                try (var s = tx.connection().createStatement()) {
                    s.execute("DROP INDEX users_search_trgm");
                }
                try (var ps = tx.connection()
                        .prepareStatement(
                                "UPDATE demo_seed SET pending_indexes = jsonb_build_array(?::text, ?::text)")) {
                    ps.setString(1, definition);
                    ps.setString(2, built); // one that was built before the stop
                    return ps.executeUpdate();
                }
            });
            assertThat(text(other, SCHEMA_SHAPE)).isNotEqualTo(shape);
            new DemoService(other, new DemoRepository(), CLOCK).finishPendingIndexes();
            assertThat(text(other, SCHEMA_SHAPE)).isEqualTo(shape);
            assertThat(text(other, "SELECT pending_indexes::text FROM demo_seed"))
                    .isEqualTo("[]");
        }
    }
}
