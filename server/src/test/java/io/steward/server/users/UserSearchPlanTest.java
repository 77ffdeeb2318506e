package io.steward.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Role;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.demo.DemoRepository;
import io.steward.server.demo.DemoService;
import io.steward.server.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The user list's queries use their indexes on demo data, not a sequential scan. */
class UserSearchPlanTest {
    static Database db;

    @BeforeAll
    static void seed() {
        db = TestDatabase.fresh("user_plans");
        new DemoService(db, new DemoRepository(), Clock.systemUTC()).seed(30_000);
        db.inTransaction(tx -> tx.connection().createStatement().execute("ANALYZE users"));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static String plan(UserFilter filter, Keyset after) {
        List<String> lines = db.read(tx -> UserRepository.explainList(tx, filter, after, 50));
        return String.join("\n", lines);
    }

    static UserFilter search(String q) {
        return new UserFilter(Optional.of(q), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
    }

    @Test
    void searchByARareFragmentUsesTheTrigramIndexes() {
        // the running number in a demo address, e.g. "…12345@": one person among 30 000
        String email = db.read(tx -> {
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT email FROM users WHERE email ~ '[0-9]{5}@' ORDER BY id LIMIT 1")) {
                rs.next();
                return rs.getString(1);
            }
        });
        String fragment = email.substring(email.indexOf('@') - 5, email.indexOf('@') + 1);
        assertThat(plan(search(fragment), null))
                .contains("users_email_trgm")
                .contains("users_name_trgm")
                .doesNotContain("Seq Scan");
    }

    @Test
    void searchByACommonFragmentNeverScansTheWholeTable() {
        // for a fragment one user in ten has, walking the newest-first index until the page is
        // full is cheaper than collecting every match, and the planner knows it
        assertThat(plan(search("ann"), null)).contains("Index").doesNotContain("Seq Scan");
    }

    @Test
    void aDeepPageWalksTheKeysetIndex() {
        var students = new UserFilter(
                Optional.empty(), Optional.of(Role.STUDENT), UserFilter.Status.NOT_DELETED, Optional.empty());
        var after = Keyset.of(Instant.now().minusSeconds(400L * 86_400), UUID.randomUUID());
        assertThat(plan(students, after)).contains("users_role_created_keyset").doesNotContain("Seq Scan");
        var everyone =
                new UserFilter(Optional.empty(), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
        assertThat(plan(everyone, after)).contains("users_created_keyset").doesNotContain("Seq Scan");
    }
}
