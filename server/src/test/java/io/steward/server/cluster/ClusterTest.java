package io.steward.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one PostgreSQL, each with its own pool and port, as behind a load balancer:
 * what one is told, the others know.
 */
class ClusterTest {
    TestServer a;
    TestServer b;
    TestServer c;

    @BeforeEach
    void start() {
        a = TestServer.startWith("cluster", "--instance", "a");
        b = TestServer.join(a, "cluster_b", "--instance", "b");
        c = TestServer.join(a, "cluster_c", "--instance", "c");
    }

    @AfterEach
    void stop() {
        for (TestServer s : new TestServer[] {c, b, a}) {
            if (s != null) {
                s.close();
            }
        }
    }

    List<TestServer> all() {
        return java.util.stream.Stream.of(a, b, c)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    @Test
    void eachInstanceSaysWhichItIs() {
        for (TestServer s : all()) {
            try (Response r = s.call("GET", "/api/v1/system", s.tokenFor(Role.ADMIN), null)) {
                String name = s.server.instance();
                assertThat(r.header("X-Steward-Instance")).isEqualTo(name);
                assertThat(s.json(r).at("/cluster/instance").asText()).isEqualTo(name);
            }
        }
        assertThat(all().stream().map(s -> s.server.instance())).containsExactly("a", "b", "c");
    }

    @Test
    void eachInstanceKeepsOneLeadershipSessionAndOneListenerRatherThanReconnecting() {
        Conditions.await(Duration.ofSeconds(5), "a leader", () -> leaders().size() == 1);
        Conditions.await(
                Duration.ofSeconds(5),
                "three leadership sessions and three listeners",
                () -> sessions().size() == 6);
        List<String> before = sessions();
        awaitSamples(a, 3); // three rounds of leadership checks
        assertThat(sessions()).isEqualTo(before);
    }

    /** The cluster's own sessions on the database: application name and backend pid. */
    List<String> sessions() {
        return TestDatabase.strings(
                a.db,
                "SELECT application_name || ' ' || pid FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name IN ('steward-leadership', 'steward-cluster-listen') ORDER BY 1");
    }

    @Test
    void aTokenFromOneWorksOnAllAndItsSignOutEndsItEverywhere() {
        String token = a.tokenFor(Role.SUPPORT);
        for (TestServer s : all()) {
            assertThat(s.status("GET", "/api/v1/users?limit=1", token, null)).isEqualTo(200);
        }
        assertThat(b.status("POST", "/api/v1/auth/logout", token, null)).isEqualTo(204);
        for (TestServer s : all()) {
            assertThat(s.status("GET", "/api/v1/users?limit=1", token, null))
                    .as("signed out through b, asked on %s", s.server.instance())
                    .isEqualTo(401);
        }
    }

    @Test
    void failedSignInsCountAcrossInstances() {
        String admin = a.tokenFor(Role.ADMIN);
        var user = Map.of(
                "email", "locked@test.example",
                "name", "Lee Locked",
                "role", "support",
                "password", "a long enough passphrase");
        try (Response r = a.call("POST", "/api/v1/users", admin, user)) {
            assertThat(r.code()).isEqualTo(201);
        }
        // five failures, spread over the three: the account locks, wherever the next try lands
        for (int i = 0; i < 5; i++) {
            try (Response r = all().get(i % 3)
                    .call(
                            "POST",
                            "/api/v1/auth/login",
                            null,
                            Map.of("email", "locked@test.example", "password", "wrong " + i))) {
                assertThat(r.code()).isEqualTo(401);
            }
        }
        for (TestServer s : all()) {
            try (Response r = s.call(
                    "POST",
                    "/api/v1/auth/login",
                    null,
                    Map.of("email", "locked@test.example", "password", "a long enough passphrase"))) {
                assertThat(r.code())
                        .as("the right password on %s", s.server.instance())
                        .isEqualTo(429);
            }
        }
    }

    @Test
    void aFlagChangedThroughOneIsEvaluatedAlikeByAllAndReachesEveryLiveStream() throws Exception {
        String admin = a.tokenFor(Role.ADMIN);
        var heard = new CopyOnWriteArrayList<String>();
        List<EventSource> streams = all().stream()
                .map(s -> s.events(s.tokenFor(Role.ADMIN), null, recorder(s.server.instance(), heard)))
                .toList();
        try {
            Conditions.await(
                    Duration.ofSeconds(10),
                    "three streams open",
                    () -> heard.stream().filter(e -> e.endsWith(" open")).count() == 3);
            try (Response r =
                    a.call("PUT", "/api/v1/flags/everywhere", admin, Map.of("enabled", true, "percentage", 100))) {
                assertThat(r.code()).isIn(200, 201);
            }
            for (TestServer s : all()) {
                try (Response r =
                        s.call("GET", "/api/v1/flags/everywhere/evaluate?userId=u-1", s.tokenFor(Role.SUPPORT), null)) {
                    assertThat(s.json(r).get("enabled").asBoolean())
                            .as("on %s", s.server.instance())
                            .isTrue();
                }
            }
            long changed = System.nanoTime();
            Conditions.await(
                    Duration.ofSeconds(1),
                    "the change on every stream",
                    () -> all().stream()
                            .allMatch(s -> heard.stream()
                                    .anyMatch(e -> e.startsWith(s.server.instance() + " audit ")
                                            && e.contains("flag.created"))));
            assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(1));
        } finally {
            streams.forEach(EventSource::cancel);
        }
    }

    @Test
    void oneInstanceLeadsFiresEachAlertOnceAndAnotherTakesOverWhenItStops() throws Exception {
        Conditions.await(Duration.ofSeconds(5), "a leader", () -> leaders().size() == 1);
        TestServer leader = leaders().getFirst();
        TestServer follower =
                all().stream().filter(s -> s != leader).findFirst().orElseThrow();
        String admin = follower.tokenFor(Role.ADMIN);
        var heard = new CopyOnWriteArrayList<String>();
        EventSource stream = follower.events(admin, null, recorder("follower", heard));
        try {
            // made through a follower; the leader hears of it and evaluates it
            var rule =
                    Map.of("name", "AlwaysUp", "metric", "process.uptime", "op", ">", "threshold", 0, "forSeconds", 0);
            try (Response r = follower.call("POST", "/api/v1/alert-rules", admin, rule)) {
                assertThat(r.code()).isEqualTo(201);
            }
            Conditions.await(
                    Duration.ofSeconds(10),
                    "the alert firing",
                    () -> alerts(follower, admin).size() == 1);
            Conditions.await(
                    Duration.ofSeconds(5),
                    "the firing on the follower's stream",
                    () -> heard.stream().anyMatch(e -> e.startsWith("follower alert ") && e.contains("AlwaysUp")));
            Conditions.await(
                    Duration.ofSeconds(5),
                    "alerts.firing counted on every instance",
                    () -> all().stream().allMatch(s -> firingSeries(s) == 1.0));
            awaitSamples(leader, 3); // three more evaluations: still one alert, stored once
            assertThat(alerts(follower, admin)).hasSize(1);
            assertThat(leaders()).containsExactly(leader);

            long stopped = System.nanoTime();
            leader.close();
            Conditions.await(
                    Duration.ofSeconds(3), "another leader", () -> leaders().size() == 1);
            Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
            assertThat(takeover).isLessThan(Duration.ofSeconds(3));
            TestServer next = leaders().getFirst();
            assertThat(next).isNotSameAs(leader);
            awaitSamples(next, 3);
            // the new leader picked the firing alert up where it was: no second one
            List<JsonNode> after = alerts(next, next.tokenFor(Role.ADMIN));
            assertThat(after).hasSize(1);
            assertThat(after.getFirst().get("state").asText()).isEqualTo("firing");
        } finally {
            stream.cancel();
            if (leader == a) {
                a = null;
            } else if (leader == b) {
                b = null;
            } else {
                c = null;
            }
        }
    }

    @Test
    void theDailyJobsRunOnceWhicheverInstancesTry() {
        Conditions.await(Duration.ofSeconds(5), "a leader", () -> leaders().size() == 1);
        for (int round = 0; round < 2; round++) {
            all().forEach(s -> s.server.dailyJobs());
        }
        long retentionRuns = a.db.read(tx -> {
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT count(*) FROM audit_log WHERE action = 'gdpr.retention_run'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long backups = a.db.read(tx -> {
            try (var rs = tx.connection().createStatement().executeQuery("SELECT count(*) FROM backups")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(retentionRuns).isEqualTo(1);
        assertThat(backups).isEqualTo(1);
        for (TestServer s : all()) {
            try {
                s.server.backups().awaitIdle(Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Waits for {@code n} of the instance's once-a-second samples, each of which its leader evaluates. */
    static void awaitSamples(TestServer s, int n) {
        var heard = new CopyOnWriteArrayList<String>();
        EventSource stream = s.events(s.tokenFor(Role.ADMIN), null, recorder("", heard));
        try {
            Conditions.await(
                    Duration.ofSeconds(n + 5),
                    n + " samples",
                    () -> heard.stream().filter(e -> e.startsWith(" metrics ")).count() >= n);
        } finally {
            stream.cancel();
        }
    }

    List<TestServer> leaders() {
        return all().stream().filter(s -> s.server.leads()).toList();
    }

    static List<JsonNode> alerts(TestServer s, String token) {
        try (Response r = s.call("GET", "/api/v1/alerts?state=active", token, null)) {
            var list = new java.util.ArrayList<JsonNode>();
            s.json(r).get("items").forEach(list::add);
            return list;
        }
    }

    static double firingSeries(TestServer s) {
        try (Response r = s.call("GET", "/api/v1/metrics/series?name=alerts.firing", s.tokenFor(Role.ADMIN), null)) {
            JsonNode points = s.json(r).get("points");
            return points == null || points.isEmpty()
                    ? Double.NaN
                    : points.get(points.size() - 1).get("value").asDouble();
        }
    }

    static EventSourceListener recorder(String who, List<String> heard) {
        return new EventSourceListener() {
            @Override
            public void onOpen(EventSource source, Response response) {
                heard.add(who + " open");
            }

            @Override
            public void onEvent(EventSource source, String id, String type, String data) {
                heard.add(who + " " + type + " " + data);
            }
        };
    }
}
