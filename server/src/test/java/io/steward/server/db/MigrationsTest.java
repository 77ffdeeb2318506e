package io.steward.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.server.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
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
            assertThat(strings(db, "SELECT extname FROM pg_extension")).contains("pg_trgm");
            assertThat(strings(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'users'"))
                    .contains("users_email_key", "users_email_trgm", "users_name_trgm", "users_created_keyset");
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
