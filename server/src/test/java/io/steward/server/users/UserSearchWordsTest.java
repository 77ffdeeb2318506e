package io.steward.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Support finds a person as they type the name: every word somewhere in the name or the e-mail,
 * in any order, whatever the case and the accents; over HTTP, with the list's filters.
 */
class UserSearchWordsTest {
    static TestServer server;
    static String support;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start("user_search_words");
        String admin = server.tokenFor(Role.ADMIN);
        support = server.tokenFor(Role.SUPPORT);
        create(admin, "melissa@marchal-conseil.example", "Mélissa Marchal", "student");
        // the same person's name the other way round, an instructor whose account was closed
        String closed = create(admin, "m.marchal@academy.example", "MARCHAL Mélissa", "instructor");
        try (Response r = server.call("PATCH", "/api/v1/users/" + closed, admin, Map.of("active", false))) {
            assertThat(r.code()).isEqualTo(200);
        }
        // decoys: one of the words each, or both words in different people
        create(admin, "melissa.dupont@academy.example", "Melissa Dupont", "student");
        create(admin, "jean.marchal@academy.example", "Jean Marchal", "student");
        create(admin, "melanie.smith@academy.example", "Mélanie Smith", "student");
        create(admin, "marc.hal@academy.example", "Marc Hal", "student");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Creates a user one second after the one before, so that newest first is one order. */
    static String create(String token, String email, String name, String role) throws Exception {
        server.clock.advance(Duration.ofSeconds(1));
        try (Response r =
                server.call("POST", "/api/v1/users", token, Map.of("email", email, "name", name, "role", role))) {
            String body = r.body().string();
            assertThat(r.code()).as(body).isEqualTo(201);
            return server.mapper.readTree(body).get("id").asText();
        }
    }

    /** The names {@code GET /api/v1/users?q=…&filters} answers, newest first. */
    static List<String> names(String q, String filters) throws Exception {
        String path = "/api/v1/users?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20") + filters;
        try (Response r = server.call("GET", path, support, null)) {
            String body = r.body().string();
            assertThat(r.code()).as(body).isEqualTo(200);
            var names = new ArrayList<String>();
            for (JsonNode user : server.mapper.readTree(body).get("items")) {
                names.add(user.get("name").asText());
            }
            return names;
        }
    }

    @Test
    void everyWordMatchesSomePartOfTheNameOrEmailInAnyOrder() throws Exception {
        assertThat(names("melissa march", "")).containsExactly("MARCHAL Mélissa", "Mélissa Marchal");
        assertThat(names("marchal melissa", "")).containsExactly("MARCHAL Mélissa", "Mélissa Marchal");
        assertThat(names("  Marchal   MÉLISSA ", "")).containsExactly("MARCHAL Mélissa", "Mélissa Marchal");
        assertThat(names("melissa smith", "")).as("both words, in one person").isEmpty();
        assertThat(names("jean melissa", ""))
                .as("one word in each of two people")
                .isEmpty();
        assertThat(names("marc hal", ""))
                .containsExactly("Marc Hal", "Jean Marchal", "MARCHAL Mélissa", "Mélissa Marchal");
    }

    @Test
    void caseAndAccentsAreIgnoredOnBothSides() throws Exception {
        assertThat(names("MÉLISSA", "")).containsExactly("Melissa Dupont", "MARCHAL Mélissa", "Mélissa Marchal");
        assertThat(names("melissa", "")).containsExactly("Melissa Dupont", "MARCHAL Mélissa", "Mélissa Marchal");
        assertThat(names("mélissa@", "")).as("in the e-mail").containsExactly("Mélissa Marchal");
        assertThat(names("MÉL", "")).contains("Mélanie Smith", "Melissa Dupont");
    }

    @Test
    void theWordsCombineWithTheRoleAndStatusFilters() throws Exception {
        assertThat(names("marchal melissa", "&role=student")).containsExactly("Mélissa Marchal");
        assertThat(names("marchal melissa", "&status=inactive")).containsExactly("MARCHAL Mélissa");
        assertThat(names("marchal melissa", "&status=active")).containsExactly("Mélissa Marchal");
        assertThat(names("marchal melissa", "&role=instructor&status=active")).isEmpty();
        assertThat(names("marchal", "&role=student")).containsExactly("Jean Marchal", "Mélissa Marchal");
    }

    @Test
    void theCsvExportFindsTheSamePeople() throws Exception {
        String path = "/api/v1/users/export.csv?q="
                + URLEncoder.encode("MARCHAL melissa", StandardCharsets.UTF_8).replace("+", "%20");
        try (Response r = server.call("GET", path, support, null)) {
            String csv = r.body().string();
            assertThat(r.code()).as(csv).isEqualTo(200);
            List<String> rows = csv.lines().skip(1).toList();
            assertThat(rows).hasSize(2);
            assertThat(csv).contains("melissa@marchal-conseil.example", "m.marchal@academy.example");
        }
    }
}
