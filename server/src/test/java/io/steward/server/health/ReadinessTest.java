package io.steward.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    static TestServer server;
    static String database;

    @BeforeAll
    static void start() {
        server = TestServer.start("readiness");
        database = TestDatabase.nameOf(server.db);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void readyAndLiveWhenTheDatabaseAnswers() {
        try (Response r = server.call("GET", "/health/ready", null, null)) {
            assertThat(r.code()).isEqualTo(200);
            var body = server.json(r);
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.at("/checks/database/status").asText()).isEqualTo("UP");
        }
        try (Response r = server.call("GET", "/health/live", null, null)) {
            assertThat(r.code()).isEqualTo(200);
        }
    }

    @Test
    void notReadyButStillLiveWhenTheDatabaseRefusesConnections() {
        try {
            TestDatabase.refuseConnections(database);
            // timed from the question, not from the refusal (terminating backends takes its own time)
            long started = System.nanoTime();
            try (Response r = server.call("GET", "/health/ready", null, null)) {
                assertThat(r.code()).isEqualTo(503);
                var body = server.json(r);
                assertThat(body.get("status").asText()).isEqualTo("DOWN");
                assertThat(body.at("/checks/database/status").asText()).isEqualTo("DOWN");
            }
            assertThat((System.nanoTime() - started) / 1_000_000)
                    .as("answered within the readiness timeout")
                    .isLessThan(4_000);
            try (Response r = server.call("GET", "/health/live", null, null)) {
                assertThat(r.code()).isEqualTo(200);
            }
            try (Response r = server.call(
                    "POST",
                    "/api/v1/auth/login",
                    null,
                    java.util.Map.of("email", TestServer.ADMIN, "password", TestServer.PASSWORD))) {
                assertThat(r.code()).isEqualTo(503);
                assertThat(server.json(r).at("/error/code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            }
        } finally {
            TestDatabase.allowConnections(database);
            // the pool reconnects on its own; readiness follows within a few seconds
            io.steward.server.testsupport.Conditions.await(java.time.Duration.ofSeconds(30), "ready again", () -> {
                try (Response r = server.call("GET", "/health/ready", null, null)) {
                    return r.code() == 200;
                }
            });
        }
    }
}
