package io.steward.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Role;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
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
        TestDatabase.seedDemo(db, Clock.systemUTC(), 30_000);
        db.inTransaction(tx -> tx.connection().createStatement().execute("ANALYZE users"));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static String plan(UserFilter filter, Keyset after) {
        List<String> lines = db.readInTransaction(tx -> UserRepository.explainList(tx, filter, after, 50));
        return String.join("\n", lines);
    }

    static String walk(UserFilter filter) {
        List<String> lines = db.read(tx -> UserRepository.explainWalk(tx, filter, null, 50));
        return String.join("\n", lines);
    }

    static UserFilter search(String q) {
        return new UserFilter(Optional.of(q), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
    }

    @Test
    void searchByARareFragmentUsesTheTrigramIndex() {
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
                .contains("users_search_trgm")
                .doesNotContain("Seq Scan")
                .doesNotContain("Index Scan using users_created_keyset")
                .as("no parallel workers to start for a few rows")
                .doesNotContain("Gather");
    }

    /** A demo user's name with accents, its words reversed, in capitals and without the accents. */
    static String accentedNameAsSupportTypesIt() {
        String name = TestDatabase.strings(
                        db,
                        "SELECT name FROM users WHERE name <> unaccent(name) AND name ~ '^[^ ]+ [^ ]+$'"
                                + " AND strpos(name, '''') = 0"
                                + " ORDER BY id LIMIT 1")
                .getFirst();
        List<String> words = new java.util.ArrayList<>(List.of(name.split(" ")));
        java.util.Collections.reverse(words);
        return java.text.Normalizer.normalize(String.join(" ", words), java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void aSearchOfSeveralWordsInAnyOrderWithoutTheAccentsUsesTheFoldedTrigramIndex() {
        String q = accentedNameAsSupportTypesIt();
        String plan = plan(search(q), null);
        assertThat(plan)
                .as(q)
                .contains("Bitmap Index Scan on users_search_trgm")
                .contains("steward_fold")
                .doesNotContain("Seq Scan")
                .doesNotContain("Index Scan using users_created_keyset")
                .doesNotContain("Gather");
        // one index scan for both words: each is a condition of the same scan
        assertThat(plan.split("Bitmap Index Scan", -1)).as(plan).hasSize(2);
        assertThat(walk(search(q)))
                .contains("Index Scan using users_created_keyset")
                .doesNotContain("Seq Scan")
                .doesNotContain("Bitmap");
        var found = db.readInTransaction(tx -> new UserRepository().list(tx, search(q), null, 50));
        assertThat(found).as(q).isNotEmpty();
    }

    @Test
    void aSearchFirstWalksABoundedStretchOfTheNewestUsers() {
        // whatever the planner thinks of the fragment: the newest-first index, stopped after a
        // fixed number of rows, never the whole table
        for (String q : List.of("ann", "zzq", "@")) {
            assertThat(walk(search(q)))
                    .contains("Index Scan using users_created_keyset")
                    .contains("Limit")
                    .doesNotContain("Seq Scan")
                    .doesNotContain("Bitmap");
        }
    }

    @Test
    void bothStepsTogetherGiveExactlyTheMatchesNewestFirstPageByPage() {
        String rare = TestDatabase.strings(db, "SELECT substr(lower(email), 1, 7) FROM users ORDER BY id LIMIT 1")
                .getFirst();
        // fragments a few dozen to a few hundred users have: some pages come from the walk, some not
        List<String> middling = TestDatabase.strings(
                db,
                "SELECT f FROM (SELECT substr(lower(name), 1, 4) AS f, count(*) AS c FROM users GROUP BY 1) x"
                        + " WHERE c BETWEEN 45 AND 200 AND f ~ '^[a-z]+$' ORDER BY f LIMIT 3");
        assertThat(middling).hasSize(3);
        // accented fragments, in capitals: the same matches as without the accents
        List<String> accented = TestDatabase.strings(
                db,
                "SELECT upper(f) FROM (SELECT substr(lower(name), strpos(lower(name), 'é'), 3) AS f FROM users"
                        + " WHERE lower(name) ~ 'é[a-z]{2}' GROUP BY 1 ORDER BY count(*) DESC LIMIT 2) x");
        assertThat(accented).hasSize(2);
        var repository = new UserRepository();
        var fragments = new java.util.ArrayList<>(List.of(rare, "zzq", "ann", "mar", "son", ".", "a"));
        fragments.addAll(middling);
        fragments.addAll(accented);
        // several words, in any order: common ones (found by the walk), a rare pair (by the index)
        fragments.addAll(List.of("son ann", "MAR  é", accentedNameAsSupportTypesIt(), "ann zzq"));
        for (String q : fragments) {
            for (var status : List.of(UserFilter.Status.NOT_DELETED, UserFilter.Status.INACTIVE)) {
                var filter = new UserFilter(Optional.of(q), Optional.empty(), status, Optional.empty());
                String state = status == UserFilter.Status.NOT_DELETED
                        ? "deleted_at IS NULL"
                        : "NOT active AND deleted_at IS NULL";
                // every word, folded, somewhere in the e-mail or the name
                String everyWord = java.util.Arrays.stream(q.strip().split(" +"))
                        .map(word -> " AND (strpos(steward_fold(email), steward_fold('" + word + "')) > 0"
                                + " OR strpos(steward_fold(name), steward_fold('" + word + "')) > 0)")
                        .collect(java.util.stream.Collectors.joining());
                List<String> expected = TestDatabase.strings(
                        db,
                        "SELECT id::text FROM users WHERE " + state + everyWord
                                + " ORDER BY created_at DESC, id DESC LIMIT 60");
                var seen = new java.util.ArrayList<String>();
                Keyset after = null;
                while (seen.size() < 60) {
                    Keyset from = after;
                    List<io.steward.server.api.UserView> page =
                            db.readInTransaction(tx -> repository.list(tx, filter, from, 20));
                    page.stream().limit(20).forEach(u -> seen.add(u.id().toString()));
                    if (page.size() <= 20) {
                        break;
                    }
                    var last = page.get(19);
                    after = Keyset.of(last.createdAt(), last.id());
                }
                assertThat(seen).as("%s, %s", q, status).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSearchOutsideATransactionIsRefusedRatherThanLeftToTheGuess() {
        var repository = new UserRepository();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> db.read(tx -> repository.list(tx, search("ann"), null, 20)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeepPageWalksTheKeysetIndex() {
        var instructors = new UserFilter(
                Optional.empty(), Optional.of(Role.INSTRUCTOR), UserFilter.Status.NOT_DELETED, Optional.empty());
        var after = Keyset.of(Instant.now().minusSeconds(400L * 86_400), UUID.randomUUID());
        assertThat(plan(instructors, after))
                .contains("users_role_created_keyset")
                .doesNotContain("Seq Scan");
        var everyone =
                new UserFilter(Optional.empty(), Optional.empty(), UserFilter.Status.NOT_DELETED, Optional.empty());
        assertThat(plan(everyone, after)).contains("users_created_keyset").doesNotContain("Seq Scan");
    }
}
