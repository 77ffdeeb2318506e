package io.steward.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Role;
import io.steward.server.db.Database;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.OwnPostgres;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code --db-read-url}: a real streaming replica of the server's PostgreSQL serves the user
 * searches and the reports; everything else stays on the primary.
 */
class ReadReplicaTest {

    @Test
    void searchesAndReportsReadTheReplicaAndNothingElseDoes() throws Exception {
        try (OwnPostgres primary = OwnPostgres.start("primary")) {
            Database primaryDb = primary.createAndOpen("steward");
            String primaryUrl = primary.jdbcUrl("steward");
            OwnPostgres replica = primary.standby("replica");
            try (var server = TestServer.on(
                    primaryDb, "replica", "--db-url", primaryUrl, "--db-read-url", replica.jdbcUrl("steward"))) {
                String admin = server.tokenFor(Role.ADMIN);
                try (Response r = server.call("GET", "/api/v1/system", admin, null)) {
                    assertThat(server.json(r).at("/cluster/readReplica").asText())
                            .contains(":" + replica.port() + "/steward");
                }
                var person = Map.of("email", "rita.replica@test.example", "name", "Rita Replica", "role", "student");
                assertThat(server.status("POST", "/api/v1/users", admin, person))
                        .isEqualTo(201);
                // written on the primary, found on the replica once it has replayed the change
                Conditions.await(Duration.ofSeconds(5), "the new user found by a search", () -> {
                    try (Response r = server.call("GET", "/api/v1/users?q=replica", admin, null)) {
                        return r.code() == 200 && server.json(r).get("items").size() == 1;
                    }
                });
                String period = "?from=" + LocalDate.now().minusDays(30) + "&to=" + LocalDate.now();
                assertThat(server.status("GET", "/api/v1/reports/soc2" + period, admin, null))
                        .isEqualTo(200);

                // without the replica: searches and reports fail fast; the rest is untouched
                replica.close();
                assertThat(server.status("GET", "/api/v1/users?q=replica", admin, null))
                        .isEqualTo(503);
                assertThat(server.status("GET", "/api/v1/reports/gdpr" + period, admin, null))
                        .isEqualTo(503);
                assertThat(server.status("GET", "/api/v1/users?limit=5", admin, null))
                        .isEqualTo(200);
                var other = Map.of("email", "pat.primary@test.example", "name", "Pat Primary", "role", "student");
                assertThat(server.status("POST", "/api/v1/users", admin, other)).isEqualTo(201);
            }
        }
    }
}
