package io.steward.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.steward.console.testsupport.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's resilience: retries for reads, none for writes, the breaker, and the stream's reconnect. */
class HttpTransportTest {
    private static final Duration FAST_BACKOFF = Duration.ofMillis(20);
    private HttpServer fake;
    /** Released when a test ends: fake handlers that never answer wait on it. */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    private URI serve(String path, Consumer<HttpExchange> handler) throws IOException {
        fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext(path, exchange -> {
            try {
                handler.accept(exchange);
            } finally {
                exchange.close();
            }
        });
        fake.createContext("/api/v1/auth/login", exchange -> {
            send(
                    exchange,
                    200,
                    "{\"token\":\"t0k3n\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"user\":{\"id\":"
                            + "\"6f1c2b9e-0000-4000-8000-000000000001\",\"email\":\"a@b.c\",\"name\":\"A\",\"role\":\"admin\","
                            + "\"active\":true,\"emailVerified\":true,\"createdAt\":\"2026-01-01T00:00:00Z\","
                            + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"lastLogin\":null,\"version\":1}}");
            exchange.close();
        });
        fake.start();
        return URI.create("http://127.0.0.1:" + fake.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        ended.countDown();
        if (fake != null) {
            fake.stop(0);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) {
        try {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String UNAVAILABLE =
            "{\"error\":{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"the database is not answering\",\"requestId\":\"r1\"}}";

    private static HttpTransport client(URI url) {
        return new HttpTransport(
                url,
                new HttpTransport.Settings(
                        Duration.ofSeconds(2), Duration.ofSeconds(5), FAST_BACKOFF, Duration.ofSeconds(30)));
    }

    private static StewardApi api(HttpTransport transport) {
        return new StewardApi(transport);
    }

    @Test
    void aReadIsTriedAgainWhenTheServerIsBrieflyUnavailable() throws Exception {
        var calls = new AtomicInteger();
        URI url = serve("/api/v1/alert-rules", exchange -> {
            if (calls.incrementAndGet() < 3) {
                send(exchange, 503, UNAVAILABLE);
            } else {
                send(exchange, 200, "{\"items\":[],\"nextCursor\":null}");
            }
        });
        try (var client = client(url)) {
            assertThat(api(client).alerts().rules()).isEmpty();
        }
        assertThat(calls).hasValue(3);
    }

    /**
     * Runs {@code call} on a thread of its own and cancels it once {@code underWay} holds (the
     * server has the request, or part of the answer arrived); returns how long the call took to end.
     */
    private static Duration cancelled(
            Cancellation cancellation,
            Runnable call,
            java.util.function.BooleanSupplier underWay,
            AtomicReference<Throwable> thrown)
            throws InterruptedException {
        var worker = Thread.ofVirtual().start(() -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!underWay.getAsBoolean() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval of a condition wait
        }
        assertThat(underWay.getAsBoolean()).as("the call under way").isTrue();
        long asked = System.nanoTime();
        cancellation.cancel();
        worker.join(Duration.ofSeconds(10));
        return Duration.ofNanos(System.nanoTime() - asked);
    }

    @Test
    void aCancelledSearchEndsAtOnceAndIsNotTriedAgain() throws Exception {
        var calls = new AtomicInteger();
        URI url = serve("/api/v1/users", exchange -> {
            calls.incrementAndGet();
            sleep(Duration.ofSeconds(30));
        });
        var thrown = new AtomicReference<Throwable>();
        try (var client = client(url)) {
            var cancellation = new Cancellation();
            Duration took = cancelled(
                    cancellation,
                    () -> api(client).users().list("ada", "", "", null, 50, cancellation),
                    () -> calls.get() == 1,
                    thrown);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(thrown.get()).isInstanceOf(Cancellation.Cancelled.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aDownloadCancelledHalfWayLeavesNoFileBehind(@TempDir Path folder) throws Exception {
        java.util.UUID snapshot = java.util.UUID.randomUUID();
        URI url = serve("/api/v1/reports/snapshots/" + snapshot, exchange -> {
            try {
                exchange.sendResponseHeaders(200, 1_000_000);
                exchange.getResponseBody().write(new byte[100_000]);
                exchange.getResponseBody().flush();
            } catch (IOException e) {
                return;
            }
            sleep(Duration.ofSeconds(30));
        });
        Path target = folder.resolve("report.pdf");
        var received = new AtomicLong();
        var thrown = new AtomicReference<Throwable>();
        try (var client = client(url)) {
            var cancellation = new Cancellation();
            Duration took = cancelled(
                    cancellation,
                    () -> api(client).reports().save(snapshot, "pdf", target, cancellation, received::set),
                    () -> received.get() == 100_000,
                    thrown);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(thrown.get()).isInstanceOf(Cancellation.Cancelled.class);
        assertThat(received.get()).as("bytes counted as they came").isEqualTo(100_000);
        try (var left = Files.list(folder)) {
            assertThat(left).as("neither the file nor its part").isEmpty();
        }
    }

    /** Answers nothing for {@code duration}, or until the test ends. */
    private void sleep(Duration duration) {
        try {
            ended.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aChangeIsNeverSentTwice() throws Exception {
        var calls = new AtomicInteger();
        URI url = serve("/api/v1/alert-rules", exchange -> {
            calls.incrementAndGet();
            send(exchange, 503, UNAVAILABLE);
        });
        try (var client = client(url)) {
            assertThatThrownBy(() -> api(client).alerts().delete(java.util.UUID.randomUUID()))
                    .isInstanceOf(ApiException.class)
                    .hasMessage("the database is not answering (request r1)");
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aServerThatKeepsFailingIsLeftAloneUntilTheStreamFindsItAgain() throws Exception {
        var calls = new AtomicInteger();
        URI url = serve("/api/v1/health", exchange -> {
            calls.incrementAndGet();
            send(exchange, 503, UNAVAILABLE);
        });
        try (var client = client(url)) {
            // three attempts, all answered 503: the server's own answer comes back
            assertThatThrownBy(() -> api(client).system().health()).isInstanceOf(ApiException.class);
            assertThat(calls).hasValue(3);
            // the fourth failure opens the breaker: the rest of this call is not even tried
            assertThatThrownBy(() -> api(client).system().health()).isInstanceOf(ServerUnreachable.class);
            assertThat(client.breakerState()).isEqualTo("OPEN");
            int before = calls.get();
            assertThatThrownBy(() -> api(client).system().health())
                    .isInstanceOf(ServerUnreachable.class)
                    .hasMessageContaining("failed repeatedly, so the console is leaving it alone for a few seconds");
            assertThat(calls)
                    .as("no call reaches the server while the breaker is open")
                    .hasValue(before);

            client.reachedAgain();
            assertThat(client.breakerState()).isEqualTo("CLOSED");
        }
    }

    @Test
    void theLiveStreamReconnectsAndAsksForWhatItMissed() throws Exception {
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        var thirdConnection = new java.util.concurrent.CountDownLatch(3);
        URI url = serve("/api/v1/events", exchange -> {
            lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            thirdConnection.countDown();
            try {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                int id = 41 + lastEventIds.size();
                exchange.getResponseBody()
                        .write(("id: " + id + "\nevent: audit\ndata: {\"id\":" + id + "}\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // the connection ends here: the client must come back on its own
        });
        var received = new CopyOnWriteArrayList<String>();
        var states = new CopyOnWriteArrayList<Boolean>();
        try (var client = client(url)) {
            api(client).auth().login("a@b.c", "whatever");
            var stream = client.subscribe(new EventStream.Listener() {
                @Override
                public void onEvent(String type, JsonNode data) {
                    received.add(type + ":" + data.path("id").asInt());
                }

                @Override
                public void onConnection(boolean connected, String problem) {
                    states.add(connected);
                }

                @Override
                public void onSessionExpired() {}
            });
            assertThat(thirdConnection.await(20, TimeUnit.SECONDS))
                    .as("three connections")
                    .isTrue();
            stream.close();
        }
        assertThat(lastEventIds.subList(0, 3)).containsExactly("null", "42", "43");
        assertThat(received).startsWith("audit:42", "audit:43");
        assertThat(states).contains(true, false);
    }

    @Test
    void aStreamClosedWhileItIsToldOfAFailureStopsQuietly() throws Exception {
        URI url = serve("/api/v1/events", exchange -> send(exchange, 503, UNAVAILABLE));
        var uncaught = new CopyOnWriteArrayList<Throwable>();
        var before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
        try (var client = client(url)) {
            api(client).auth().login("a@b.c", "whatever");
            var told = new java.util.concurrent.CountDownLatch(1);
            var holder = new AtomicReference<Subscription>();
            var opened = new java.util.concurrent.CountDownLatch(1);
            holder.set(client.subscribe(new EventStream.Listener() {
                @Override
                public void onEvent(String type, JsonNode data) {}

                @Override
                public void onConnection(boolean connected, String problem) {
                    // the owner signs out the moment it hears the server is gone
                    awaitQuietly(opened);
                    holder.get().close();
                    told.countDown();
                }

                @Override
                public void onSessionExpired() {}
            }));
            opened.countDown();
            assertThat(told.await(20, TimeUnit.SECONDS))
                    .as("told of the failure")
                    .isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (uncaught.isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // poll interval of a condition wait
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(uncaught).as("failures nobody caught").isEmpty();
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theRealServerAnswersEveryTypedRead() {
        TestServer server = TestServer.shared();
        try (var client = new HttpTransport(server.url())) {
            var api = new StewardApi(client);
            api.auth().login(TestServer.AUDITOR, TestServer.PASSWORD);
            assertThat(api.auth().me().email()).isEqualTo(TestServer.AUDITOR);
            assertThat(api.system().health().checks()).containsKey("database");
            assertThat(api.system().system().database().product()).isEqualTo("PostgreSQL");
            assertThat(api.metrics().catalog())
                    .extracting(s -> s.name())
                    .contains("http.requests.rate", "db.pool.usage.percent");
            // the server records a point a second: a server started a moment ago may have none yet
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (api.metrics().series("process.uptime", "5m").points().isEmpty() && System.nanoTime() < until) {
                sleep(Duration.ofMillis(200));
            }
            assertThat(api.metrics().series("process.uptime", "5m").points()).isNotEmpty();
            assertThat(api.alerts().rules()).extracting(r -> r.name()).contains("HighErrorRate");
            assertThat(api.alerts().alerts("", 10).items()).isNotNull();
            api.auth().logout();
            assertThat(client.signedIn()).isFalse();
        }
    }
}
