package io.steward.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.ServerConfig;
import io.steward.server.api.Role;
import io.steward.server.testsupport.OwnPostgres;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The server works as a database role that cannot change history: tried as a hostile insider
 * holding the server's own connection would, every way of rewriting or cutting the audit trail is
 * refused by PostgreSQL, and verification still sees the whole trail.
 */
class LeastPrivilegeTest {

    @Test
    void theServersOwnConnectionCannotRewriteOrCutTheAuditTrail() throws Exception {
        try (var server = TestServer.start("least_privilege")) {
            String admin = server.tokenFor(Role.ADMIN);
            for (int i = 0; i < 5; i++) {
                var person = Map.of("email", "p" + i + "@test.example", "name", "Person " + i, "role", "student");
                assertThat(server.status("POST", "/api/v1/users", admin, person))
                        .isEqualTo(201);
            }
            long before = count(server.db, "SELECT count(*) FROM audit_log");

            // the attack that worked on a superuser connection: the retention switch, then the tail
            assertRefused(
                    server.db,
                    "SET LOCAL steward.audit_retention = 'on';"
                            + " DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)",
                    "permission denied for table audit_log");
            assertRefused(server.db, "UPDATE audit_log SET action = 'forged'", "permission denied for table audit_log");
            assertRefused(server.db, "TRUNCATE audit_log", "permission denied for table audit_log");
            assertRefused(
                    server.db,
                    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete",
                    "must be owner of table audit_log");
            assertRefused(server.db, "SET session_replication_role = replica", "permission denied");
            assertRefused(server.db, "SET ROLE steward_retention", "permission denied");
            assertRefused(server.db, "SET ROLE steward_owner", "permission denied");
            assertRefused(server.db, "UPDATE audit_anchor SET removed = 0", "permission denied for table audit_anchor");
            assertRefused(
                    server.db,
                    "UPDATE audit_retention_policy SET keep_days = 365",
                    "permission denied for table audit_retention_policy");
            assertRefused(server.db, "DELETE FROM erasure_ledger", "permission denied for table erasure_ledger");
            assertRefused(server.db, "DELETE FROM restore_tests", "permission denied for table restore_tests");
            // nor is a report changed or removed once generated
            assertRefused(
                    server.db,
                    "UPDATE report_snapshots SET sha256 = repeat('0', 64)",
                    "permission denied for table report_snapshots");
            assertRefused(server.db, "DELETE FROM report_snapshots", "permission denied for table report_snapshots");
            assertRefused(
                    server.db,
                    "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql"
                            + " AS $$ BEGIN RETURN OLD; END $$",
                    "permission denied for schema public");
            assertRefused(server.db, "CREATE TABLE smuggled (id int)", "permission denied for schema public");

            // the retention function removes only what the policy allows, whatever cutoff it is given
            assertThat(count(server.db, "SELECT audit_retention_delete(now() + interval '1 day')"))
                    .as("entries removed by a cutoff in the future")
                    .isZero();
            // nor can an entry dated long ago, appended now, pull every newer one along with it
            assertThat(countThenRollBack(
                            server.db,
                            "WITH fake AS (INSERT INTO audit_log (id, at, action, prev_hash, hash) VALUES"
                                    + " (gen_random_uuid(), '1970-01-01', 'x', sha256('x'), sha256('y')) RETURNING seq)"
                                    + " SELECT audit_retention_delete(now()) FROM fake"))
                    .as("entries removed after an old-dated one was appended")
                    .isZero();
            // and nothing is slipped in below the newest entry, where a check since a checkpoint never looks
            assertRefused(
                    server.db,
                    "INSERT INTO audit_log (seq, id, at, action, prev_hash, hash) OVERRIDING SYSTEM VALUE VALUES"
                            + " (-7, gen_random_uuid(), now(), 'x', sha256('x'), sha256('y'))",
                    "audit_log is append-only: entry -7 would not be the newest");

            assertThat(count(server.db, "SELECT count(*) FROM audit_log")).isEqualTo(before);
            JsonNode verify = server.json(server.call("GET", "/api/v1/audit/verify", admin, null));
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.get("checked").asLong()).isGreaterThanOrEqualTo(before);

            JsonNode database = server.json(server.call("GET", "/api/v1/system", admin, null))
                    .get("database");
            assertThat(database.get("role").asText()).isEqualTo(DatabaseRoles.SERVER);
            assertThat(database.get("superuser").asBoolean()).isFalse();
            assertThat(database.get("historyProtected").asBoolean()).isTrue();
        }
    }

    @Test
    void aSuperuserOrTheOwnerIsRefusedUnlessAllowedAndThenEveryReportSaysSo() throws Exception {
        String name = TestDatabase.createEmpty("as_superuser");
        TestDatabase.open(name).close(); // migrated by its owner, as a server's database is
        try (Database superuser = Database.open(TestDatabase.jdbcUrl(name), "postgres", "", false)) {
            // the staff accounts are made before the server starts, and stay for the attempts below
            assertThatThrownBy(() -> TestServer.on(superuser, "as_superuser").close())
                    .isInstanceOf(ServerConfig.InvalidOption.class)
                    .hasMessageContaining("the database role postgres is a PostgreSQL superuser")
                    .hasMessageContaining("--allow-superuser");
        }
        try (Database owner = TestDatabase.openAsOwner(name)) {
            assertThatThrownBy(() -> TestServer.onExisting(owner, "as_owner").close())
                    .isInstanceOf(ServerConfig.InvalidOption.class)
                    .hasMessageContaining("the database role steward_owner can change or delete audit entries");
        }
        try (Database superuser = Database.open(TestDatabase.jdbcUrl(name), "postgres", "", false);
                var server = TestServer.onExisting(superuser, "as_superuser_allowed", "--allow-superuser")) {
            String admin = server.tokenFor(Role.ADMIN);
            JsonNode database = server.json(server.call("GET", "/api/v1/system", admin, null))
                    .get("database");
            assertThat(database.get("superuser").asBoolean()).isTrue();
            assertThat(database.get("historyProtected").asBoolean()).isFalse();
            for (String type : List.of("soc2", "gdpr", "iso27001")) {
                try (Response r =
                        server.call("GET", "/api/v1/reports/" + type + "?from=2026-01-01&to=2026-12-31", admin, null)) {
                    String body = r.body().string();
                    assertThat(r.code()).as(body).isEqualTo(200);
                    JsonNode figure = figure(server.mapper.readTree(body), "database.historyProtected");
                    assertThat(figure.get("value").asBoolean()).as(type).isFalse();
                    assertThat(figure.get("evidence").asText()).as(type).contains("superuser");
                }
            }
        }
    }

    /**
     * An embedded database from before the roles (its tables the superuser's) comes under them at
     * the next start: the owner gets the schema and migrates, the server works as its own role.
     */
    @Test
    void anEmbeddedDatabaseFromBeforeTheRolesIsHandedToTheOwnerAtTheNextStart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "pre-roles-");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dataDir)) {
            Migrations.migrate(pg.superuser(), "14");
            try (var c = pg.superuser().open();
                    var s = c.createStatement();
                    var rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("postgres");
            }
        }
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dataDir);
                Database db = Database.open(pg.server(), pg.owner(), true);
                var server = TestServer.on(db, "pre_roles")) {
            assertThat(db.schemaVersion()).as("every migration applied").isEqualTo(latestMigration());
            assertThat(count(
                            db,
                            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                                    + " AND tableowner <> 'steward_owner'"))
                    .as("tables not the owner's")
                    .isZero();
            String admin = server.tokenFor(Role.ADMIN);
            JsonNode database = server.json(server.call("GET", "/api/v1/system", admin, null))
                    .get("database");
            assertThat(database.get("role").asText()).isEqualTo(DatabaseRoles.SERVER);
            assertThat(database.get("historyProtected").asBoolean()).isTrue();
            assertRefused(db, "DELETE FROM audit_log", "permission denied for table audit_log");
        }
    }

    /** docs/deploy/README.md's SQL, run on a new PostgreSQL, is all a server needs. */
    @Test
    void theDeploymentGuidesRolesAreEnough() throws Exception {
        String guide = Files.readString(Path.of("..", "docs", "deploy", "README.md"));
        String section = guide.substring(guide.indexOf("## The database roles"));
        var blocks = new ArrayList<String>();
        var m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find() && blocks.size() < 2) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSize(2);
        try (var postgres = OwnPostgres.start("guide", false)) {
            postgres.superuserRun("postgres", blocks.get(0));
            postgres.superuserRun("steward", blocks.get(1));
            String url = postgres.jdbcUrl("steward");
            try (Database db = Database.open(
                            new ConnectionSettings(url, DatabaseRoles.SERVER, "choose-a-server-password"),
                            new ConnectionSettings(url, DatabaseRoles.OWNER, "choose-an-owner-password"),
                            false);
                    var server = TestServer.on(db, "guide_roles")) {
                String admin = server.tokenFor(Role.ADMIN);
                JsonNode database = server.json(server.call("GET", "/api/v1/system", admin, null))
                        .get("database");
                assertThat(database.get("role").asText()).isEqualTo(DatabaseRoles.SERVER);
                assertThat(database.get("historyProtected").asBoolean()).isTrue();
                assertThat(count(
                                db,
                                "SELECT pg_get_userbyid(proowner) = 'steward_retention' FROM pg_proc"
                                        + " WHERE proname = 'audit_retention_delete'"))
                        .as("the retention function belongs to the retention role")
                        .isEqualTo(1);
            }
        }
    }

    private static JsonNode figure(JsonNode report, String key) {
        for (JsonNode section : report.get("sections")) {
            for (JsonNode figure : section.get("figures")) {
                if (figure.get("key").asText().equals(key)) {
                    return figure;
                }
            }
        }
        throw new AssertionError("no figure " + key + " in " + report.get("type"));
    }

    private static void assertRefused(Database db, String sql, String message) {
        assertThatThrownBy(() -> db.inTransaction(tx -> {
                    try (var s = tx.connection().createStatement()) {
                        return s.execute(sql);
                    }
                }))
                .as(sql)
                .rootCause()
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(message);
    }

    /** {@link #count}, in a transaction that is then rolled back. */
    private static long countThenRollBack(Database db, String sql) {
        final class RolledBack extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final long value;

            RolledBack(long value) {
                this.value = value;
            }
        }
        try {
            db.inTransaction(tx -> {
                try (var s = tx.connection().createStatement();
                        var rs = s.executeQuery(sql)) {
                    rs.next();
                    throw new RolledBack(rs.getLong(1));
                }
            });
            throw new AssertionError("unreachable");
        } catch (RolledBack e) {
            return e.value;
        }
    }

    private static long count(Database db, String sql) {
        return db.inTransaction(tx -> {
            try (var s = tx.connection().createStatement();
                    var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getObject(1) instanceof Boolean b ? (b ? 1L : 0L) : rs.getLong(1);
            }
        });
    }

    /** The highest version among the migrations the server ships. */
    static String latestMigration() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
