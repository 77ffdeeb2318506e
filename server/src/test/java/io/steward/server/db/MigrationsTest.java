package io.steward.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.server.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    private static List<String> strings(Database db, String sql) {
        return db.read(tx -> {
            try (var ps = tx.connection().prepareStatement(sql);
                    var rs = ps.executeQuery()) {
                var out = new ArrayList<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Test
    void migrationsCreateTheWholeSchemaOnAnEmptyDatabase() {
        try (Database db = TestDatabase.fresh("migrations_empty")) {
            assertThat(strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .contains(
                            "users",
                            "programs",
                            "enrollments",
                            "communications",
                            "user_sessions",
                            "email_logs",
                            "staff_tokens",
                            "login_attempts",
                            "audit_log",
                            "gdpr_requests",
                            "feature_flags",
                            "alert_rules",
                            "alert_events",
                            "health_history",
                            "backups",
                            "silences",
                            "gdpr_request_recipients",
                            "subject_keys");
            assertThat(strings(db, "SELECT extname FROM pg_extension")).contains("pg_trgm", "unaccent");
            assertThat(strings(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'users'"))
                    .contains("users_email_key", "users_search_trgm", "users_created_keyset")
                    .doesNotContain("users_email_trgm", "users_name_trgm");
            assertThat(strings(db, "SELECT steward_fold('MÉLISSA Œuvre-Ærø')")).containsExactly("melissa oeuvre-aero");
            assertThat(db.appliedMigrations()).isNotEmpty().allMatch(m -> m.success() && m.checksum() != null);
        }
    }

    @Test
    void aSecondStartIsANoOpAndValidationPasses() {
        String name = TestDatabase.createEmpty("migrations_twice");
        int applied;
        try (Database first = TestDatabase.open(name)) {
            applied = first.appliedMigrations().size();
        }
        try (Database second = TestDatabase.open(name)) {
            assertThat(second.appliedMigrations()).hasSize(applied);
            assertThat(strings(second, "SELECT count(*) FROM flyway_schema_history"))
                    .containsExactly(String.valueOf(applied));
            var validation =
                    Flyway.configure().dataSource(second.dataSource()).load().validateWithResult();
            assertThat(validation.validationSuccessful)
                    .as(validation.getAllErrorMessages())
                    .isTrue();
        }
    }

    /**
     * An external database whose owner is not the migrating role (some providers hand one out so):
     * it may not create the unaccent extension. The search migration stops before it changed
     * anything, says what to do, and runs once that is done (docs/operations.md).
     */
    @Test
    void withoutTheRightToCreateUnaccentTheSearchMigrationChangesNothingAndSaysWhatToDo() {
        String name = TestDatabase.createEmpty("migrations_no_unaccent");
        ConnectionSettings owner = TestDatabase.owner(name);
        Migrations.migrate(owner, "17");
        TestDatabase.adminIn(name, "ALTER SCHEMA public OWNER TO " + DatabaseRoles.OWNER);
        TestDatabase.admin("ALTER DATABASE " + name + " OWNER TO postgres");
        assertThatThrownBy(() -> Migrations.migrate(owner, null))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("the extension unaccent is missing from database " + name
                        + " and steward_owner may not create it")
                .hasMessageContaining("CREATE EXTENSION unaccent SCHEMA public");
        assertThat(Migrations.current(owner)).isEqualTo("17");
        try (Database db = Database.connect(owner, null, false)) {
            assertThat(strings(db, "SELECT to_regprocedure('steward_fold(text)') IS NULL"))
                    .containsExactly("t");
            assertThat(strings(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'users'"))
                    .contains("users_email_trgm", "users_name_trgm")
                    .doesNotContain("users_search_trgm");
        }
        TestDatabase.adminIn(name, "CREATE EXTENSION unaccent SCHEMA public");
        Migrations.migrate(owner, null);
        assertThat(Migrations.current(owner)).isEqualTo(LeastPrivilegeTest.latestMigration());
    }

    /** A demo seeding stopped before its index builds: V18 leaves the two old search indexes off its list. */
    @Test
    void theOldSearchIndexesLeaveTheListADemoSeedingLeftToBuild() {
        String name = TestDatabase.createEmpty("migrations_pending_indexes");
        ConnectionSettings owner = TestDatabase.owner(name);
        Migrations.migrate(owner, "17");
        try (Database db = Database.connect(owner, null, false)) {
            TestDatabase.execute(
                    db,
                    "INSERT INTO demo_seed (id, users, seeded_at, pending_indexes) VALUES (1, 10, now(), jsonb_build_array("
                            + "'CREATE INDEX users_email_trgm ON public.users USING gin (lower(email) gin_trgm_ops)',"
                            + " 'CREATE INDEX users_created_keyset ON public.users USING btree (created_at DESC, id DESC)',"
                            + " 'CREATE INDEX users_name_trgm ON public.users USING gin (lower(name) gin_trgm_ops)'))");
            Migrations.migrate(owner, null);
            assertThat(strings(db, "SELECT jsonb_array_elements_text(pending_indexes) FROM demo_seed"))
                    .containsExactly(
                            "CREATE INDEX users_created_keyset ON public.users USING btree (created_at DESC, id DESC)");
        }
    }

    /** unaccent already installed in another schema: named, with the statement that fixes it. */
    @Test
    void unaccentInAnotherSchemaIsNamedRatherThanHalfUsed() {
        String name = TestDatabase.createEmpty("migrations_unaccent_elsewhere");
        ConnectionSettings owner = TestDatabase.owner(name);
        Migrations.migrate(owner, "17");
        TestDatabase.adminIn(name, "CREATE SCHEMA extensions");
        TestDatabase.adminIn(name, "CREATE EXTENSION unaccent SCHEMA extensions");
        assertThatThrownBy(() -> Migrations.migrate(owner, null))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("the extension unaccent is in schema extensions")
                .hasMessageContaining("ALTER EXTENSION unaccent SET SCHEMA public");
        assertThat(Migrations.current(owner)).isEqualTo("17");
        TestDatabase.adminIn(name, "ALTER EXTENSION unaccent SET SCHEMA public");
        Migrations.migrate(owner, null);
        assertThat(Migrations.current(owner)).isEqualTo(LeastPrivilegeTest.latestMigration());
    }

    @Test
    void theAuditLogRefusesUpdatesAndDeletes() {
        try (Database db = TestDatabase.fresh("audit_append_only")) {
            db.inTransaction(tx -> {
                try (var s = tx.connection().createStatement()) {
                    s.execute(
                            "INSERT INTO audit_log (id, at, action, prev_hash, hash) VALUES (gen_random_uuid(), now(),"
                                    + " 'test', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'))");
                }
                return null;
            });
            for (String sql :
                    List.of("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log", "TRUNCATE audit_log")) {
                assertThatThrownBy(() -> db.inTransaction(tx -> {
                            try (var s = tx.connection().createStatement()) {
                                return s.execute(sql);
                            }
                        }))
                        .as("the server's role: " + sql)
                        .isInstanceOf(DataAccessException.class)
                        .cause()
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied for table audit_log");
                assertThatThrownBy(() -> io.steward.server.testsupport.TestDatabase.asOwner(db, sql))
                        .as("the owner: " + sql)
                        .isInstanceOf(DataAccessException.class)
                        .cause()
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
            assertThat(strings(db, "SELECT action FROM audit_log")).containsExactly("test");
        }
    }

    @Test
    void emailsAreUniqueRegardlessOfCase() {
        try (Database db = TestDatabase.fresh("email_unique")) {
            String insert = "INSERT INTO users (id, email, name) VALUES (gen_random_uuid(), '%s', 'X')";
            db.inTransaction(tx -> {
                try (var s = tx.connection().createStatement()) {
                    return s.execute(insert.formatted("Ada@Example.org"));
                }
            });
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                        try (var s = tx.connection().createStatement()) {
                            return s.execute(insert.formatted("ada@example.ORG"));
                        }
                    }))
                    .isInstanceOf(DataAccessException.class);
        }
    }
}
