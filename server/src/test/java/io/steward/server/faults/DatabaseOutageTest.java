package io.steward.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.OwnPostgres;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL crashes (immediate shutdown) while the server is under a mixed load, and comes back:
 * readiness says so within 2 s, calls fail fast with 503 meanwhile, the server recovers by itself
 * within 5 s of the database's return, every acknowledged write is there afterwards and no write
 * is half-applied.
 */
class DatabaseOutageTest {
    private static final Duration FAIL_FAST = Duration.ofSeconds(6);

    OwnPostgres postgres;
    TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** One answer: status, error code (or empty), and how long it took. */
    record Answer(int status, String code, JsonNode body, Duration took) {}

    Answer call(String method, String path, String token, Object body) {
        long started = System.nanoTime();
        try (Response r = server.call(method, path, token, body)) {
            String text = r.body().string();
            JsonNode json = text.isEmpty() ? server.mapper.nullNode() : server.mapper.readTree(text);
            return new Answer(
                    r.code(), json.at("/error/code").asText(""), json, Duration.ofNanos(System.nanoTime() - started));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Per user: the last name the server acknowledged, and the names sent since without an answer of 2xx. */
    static final class Names {
        volatile String acknowledged;
        final List<String> unacknowledgedSince = new CopyOnWriteArrayList<>();

        Names(String acknowledged) {
            this.acknowledged = acknowledged;
        }
    }

    @Test
    void aDatabaseCrashIsSurvivedWithFastFailuresAndNothingLost() throws Exception {
        postgres = OwnPostgres.start("outage");
        server = TestServer.on(postgres.createAndOpen("steward"), "db_outage");
        String admin = server.tokenFor(Role.ADMIN);
        String support = server.tokenFor(Role.SUPPORT);

        // an erasure approved by a second admin, to be completed at the moment of the crash
        String erased = student("erase.me@academy.example", admin);
        String erasure = call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", erased, "type", "erasure"))
                .body()
                .get("id")
                .asText();
        assertThat(call("POST", "/api/v1/gdpr/requests/" + erasure + "/verify", support, Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(call("POST", "/api/v1/gdpr/requests/" + erasure + "/approve", admin, Map.of())
                        .status())
                .isEqualTo(200);

        var names = new ConcurrentHashMap<String, Names>();
        for (int i = 0; i < 8; i++) {
            String email = "load" + i + "@academy.example";
            names.put(student(email, admin), new Names("Load " + i));
        }
        List<String> ids = List.copyOf(names.keySet());
        var acknowledgedRequests = new CopyOnWriteArrayList<String>();
        var answers = new CopyOnWriteArrayList<Answer>();
        var outage = new AtomicBoolean();
        var outageAnswers = new CopyOnWriteArrayList<Answer>();
        var running = new AtomicBoolean(true);
        var sequence = new AtomicLong();

        // four writers, each with users of its own (so "last acknowledged" is well defined), and a reader
        var threads = new ArrayList<Thread>();
        for (int w = 0; w < 4; w++) {
            List<String> mine = List.of(ids.get(w), ids.get(w + 4));
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    for (String id : mine) {
                        String name = "Renamed " + sequence.incrementAndGet();
                        Names user = names.get(id);
                        user.unacknowledgedSince.add(name);
                        Answer a = call("PATCH", "/api/v1/users/" + id, support, Map.of("name", name));
                        record(a, outage, answers, outageAnswers);
                        if (a.status() == 200) {
                            user.acknowledged = name;
                            user.unacknowledgedSince.clear();
                        }
                        Answer opened =
                                call("POST", "/api/v1/gdpr/requests", support, Map.of("userId", id, "type", "access"));
                        record(opened, outage, answers, outageAnswers);
                        if (opened.status() == 201) {
                            acknowledgedRequests.add(opened.body().get("id").asText());
                        }
                    }
                }
            }));
        }
        threads.add(Thread.ofVirtual().start(() -> {
            while (running.get()) {
                record(call("GET", "/api/v1/users?q=academy&limit=20", support, null), outage, answers, outageAnswers);
                record(call("GET", "/api/v1/gdpr/requests?limit=20", support, null), outage, answers, outageAnswers);
            }
        }));

        // under way: writes acknowledged before the crash
        Conditions.await(Duration.ofSeconds(30), "writes acknowledged", () -> acknowledgedRequests.size() >= 20);
        var completion = Thread.ofVirtual()
                .start(() -> call("POST", "/api/v1/gdpr/requests/" + erasure + "/complete", admin, Map.of()));
        long crashed = System.nanoTime();
        outage.set(true);
        postgres.crash();

        Duration notReady = awaitReadiness(503, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - crashed))
                .as("readiness says the database is gone within 2 s (took %s)", notReady)
                .isLessThan(Duration.ofSeconds(2));

        // the outage lasts until the clients have met it a few hundred times
        Conditions.await(Duration.ofSeconds(30), "calls during the outage", () -> outageAnswers.size() >= 300);
        outage.set(false);
        postgres.restart();
        long back = System.nanoTime();
        awaitReadiness(200, Duration.ofSeconds(15));
        Duration readyAgain = Duration.ofNanos(System.nanoTime() - back);
        // and the API serves again, by itself
        Conditions.await(
                Duration.ofSeconds(10),
                "the API serving again",
                () -> call("GET", "/api/v1/users?limit=1", support, null).status() == 200);
        Duration apiAgain = Duration.ofNanos(System.nanoTime() - back);
        assertThat(readyAgain)
                .as("ready again within 5 s of the database's return")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(apiAgain).as("the API serves again within 5 s").isLessThan(Duration.ofSeconds(5));

        // and the writers go on writing after the return
        int acknowledgedBefore = acknowledgedRequests.size();
        Conditions.await(
                Duration.ofSeconds(30),
                "writes acknowledged after the return",
                () -> acknowledgedRequests.size() >= acknowledgedBefore + 20);
        running.set(false);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
        completion.join(Duration.ofSeconds(30));

        // during the outage: 503 in the contract's shape, fast; never another 5xx, anywhere
        assertThat(outageAnswers).as("calls made during the outage").isNotEmpty();
        assertThat(outageAnswers.stream().filter(a -> a.status() == 503))
                .as("refused during the outage")
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.code()).isEqualTo("SERVICE_UNAVAILABLE"));
        assertThat(answers)
                .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isNotIn(500, 502, 504));
        assertThat(outageAnswers)
                .as("no call hangs: each answered within %s", FAIL_FAST)
                .allSatisfy(a -> assertThat(a.took()).isLessThan(FAIL_FAST));
        List<Duration> took = outageAnswers.stream().map(Answer::took).sorted().toList();
        Duration median = took.get(took.size() / 2);
        assertThat(median)
                .as("most calls fail at once while the breaker is open")
                .isLessThan(Duration.ofMillis(500));

        // every acknowledged write is there; none is half-applied
        names.forEach((id, user) -> {
            String name = call("GET", "/api/v1/users/" + id, support, null)
                    .body()
                    .get("name")
                    .asText();
            var allowed = new ArrayList<>(user.unacknowledgedSince);
            allowed.add(user.acknowledged);
            assertThat(name).as("user %s", id).isIn(allowed);
        });
        for (String id : acknowledgedRequests) {
            assertThat(call("GET", "/api/v1/gdpr/requests/" + id, support, null).status())
                    .as("acknowledged request %s", id)
                    .isEqualTo(200);
        }
        JsonNode request =
                call("GET", "/api/v1/gdpr/requests/" + erasure, support, null).body();
        JsonNode subject = call("GET", "/api/v1/users/" + erased, support, null).body();
        if (request.get("status").asText().equals("completed")) {
            assertThat(subject.get("anonymized").asBoolean())
                    .as("completed: anonymised")
                    .isTrue();
            assertThat(subject.get("email").asText()).isNotEqualTo("erase.me@academy.example");
        } else {
            assertThat(request.get("status").asText()).isEqualTo("approved");
            assertThat(subject.get("anonymized").asBoolean())
                    .as("not completed: untouched")
                    .isFalse();
            assertThat(subject.get("email").asText()).isEqualTo("erase.me@academy.example");
        }
        assertThat(call("GET", "/api/v1/audit/verify", admin, null)
                        .body()
                        .get("valid")
                        .asBoolean())
                .as("the audit chain is intact")
                .isTrue();
        System.out.printf(
                "outage: %d calls, median %s, slowest %s; not ready %s after the crash; ready %s and serving %s after the return%n",
                took.size(), median, took.getLast(), notReady, readyAgain, apiAgain);
    }

    private static void record(Answer a, AtomicBoolean outage, List<Answer> answers, List<Answer> outageAnswers) {
        answers.add(a);
        if (outage.get()) {
            outageAnswers.add(a);
        }
    }

    private String student(String email, String token) {
        Answer a = call("POST", "/api/v1/users", token, Map.of("email", email, "name", email, "role", "student"));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        return a.body().get("id").asText();
    }

    /** Waits until /health/ready answers {@code status}; returns how long that took. */
    private Duration awaitReadiness(int status, Duration limit) {
        long started = System.nanoTime();
        Conditions.await(
                limit,
                "/health/ready answering " + status,
                () -> call("GET", "/health/ready", null, null).status() == status);
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
