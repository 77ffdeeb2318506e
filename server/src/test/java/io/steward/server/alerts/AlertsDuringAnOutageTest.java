package io.steward.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.RecordingHttpServer;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert that matters most fires when the database is away: it must be evaluated, pushed and
 * sent without the database, and stored, with its own times, once the database is back.
 */
class AlertsDuringAnOutageTest {
    final List<String> streamed = new CopyOnWriteArrayList<>();
    RecordingHttpServer webhook;
    TestServer server;
    String database;

    @BeforeEach
    void start() throws Exception {
        webhook = new RecordingHttpServer(204);
        server = TestServer.startWith(
                "alerts_outage", "--alert-webhook", webhook.url("/hook"), "--health-interval", "1");
        database = TestDatabase.nameOf(server.db);
    }

    @AfterEach
    void stop() throws Exception {
        TestDatabase.allowConnections(database);
        server.close();
        webhook.close();
    }

    @Test
    void anAlertFiresWithoutTheDatabaseAndIsStoredWithItsTimesWhenItIsBack() {
        String admin = server.tokenFor(Role.ADMIN);
        var rule = Map.of("name", "DatabaseGone", "metric", "db.up", "op", "==", "threshold", 0, "forSeconds", 1);
        try (Response r = server.call("POST", "/api/v1/alert-rules", admin, rule)) {
            assertThat(r.code()).isEqualTo(201);
        }
        EventSource stream = open(admin);
        // three seconds sampled after the rule was made: the evaluator has loaded it
        Conditions.await(
                Duration.ofSeconds(6),
                "three metrics events",
                () -> streamed.stream().filter(e -> e.startsWith("metrics")).count() >= 3);
        try {
            Instant cut = Instant.now();
            TestDatabase.refuseConnections(database);
            Conditions.await(
                    Duration.ofSeconds(30),
                    "the firing sent to the webhook",
                    () -> webhook.bodies.stream()
                            .anyMatch(b -> b.contains("\"firing\"") && b.contains("DatabaseGone")));
            assertThat(streamed).anyMatch(e -> e.startsWith("alert ") && e.contains("DatabaseGone"));
            assertThat(streamed).anyMatch(e -> e.startsWith("health ") && e.contains("\"status\":\"DOWN\""));
            Instant restored = Instant.now();
            TestDatabase.allowConnections(database);

            Conditions.await(
                    Duration.ofSeconds(30),
                    "the alert stored and resolved",
                    () -> alert(admin)
                            .map(a -> a.get("state").asText().equals("resolved"))
                            .orElse(false));
            JsonNode alert = alert(admin).orElseThrow();
            Instant firedAt = Instant.parse(alert.get("firedAt").asText());
            assertThat(firedAt).isAfter(cut).isBefore(restored);
            assertThat(alert.get("firedValue").asDouble()).isEqualTo(0.0);

            // the health round that sees the database back stores the change it buffered: wait for it
            Conditions.await(
                    Duration.ofSeconds(30),
                    "the DOWN change stored",
                    () -> databaseDown(admin).isPresent());
            assertThat(Instant.parse(databaseDown(admin).orElseThrow().get("at").asText()))
                    .as("the change is stored with the time it happened")
                    .isAfter(cut)
                    .isBefore(restored);
        } finally {
            stream.cancel();
        }
    }

    /** The database's DOWN change in the health history, once it is stored. */
    Optional<JsonNode> databaseDown(String token) {
        try (Response r = server.call("GET", "/api/v1/health/history?check=database", token, null)) {
            if (r.code() != 200) {
                return Optional.empty(); // the pool may still be reconnecting
            }
            return java.util.stream.StreamSupport.stream(
                            server.json(r).get("items").spliterator(), false)
                    .filter(c -> c.get("status").asText().equals("DOWN"))
                    .findFirst();
        }
    }

    Optional<JsonNode> alert(String token) {
        try (Response r = server.call("GET", "/api/v1/alerts", token, null)) {
            if (r.code() != 200) {
                return Optional.empty(); // the pool may still be reconnecting
            }
            for (JsonNode a : server.json(r).get("items")) {
                if (a.get("ruleName").asText().equals("DatabaseGone")) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    EventSource open(String token) {
        return server.events(token, null, new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, @Nullable String id, @Nullable String type, String data) {
                streamed.add(type + " " + data);
            }
        });
    }
}
