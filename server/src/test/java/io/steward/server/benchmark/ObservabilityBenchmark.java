package io.steward.server.benchmark;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.server.auth.AuthSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.metrics.SeriesStore;
import io.steward.server.testsupport.Conditions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Observability costs: requests/s of {@code GET /health/ready} with and without request metrics
 * (two servers on one database, measured in alternation), the series store's memory at its
 * bound, and one server's event stream fanned out to 50 clients. Not a test; see
 * docs/benchmarks.md.
 */
public final class ObservabilityBenchmark {
    private ObservabilityBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("steward-bench");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            var with = server(db, dir.resolve("a"), "on");
            with.staffBootstrap().ensureAdmin("bench@steward.local", "correct horse battery staple");
            var without = server(db, dir.resolve("b"), "off");
            try {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                load(http, with, 5); // warm-up
                load(http, without, 5);
                for (int round = 1; round <= 3; round++) {
                    double on = load(http, with, seconds);
                    double off = load(http, without, seconds);
                    System.out.printf(
                            "round %d: /health/ready with request metrics %,.0f req/s, without %,.0f req/s (%.1f %%)%n",
                            round, on, off, (on - off) * 100 / off);
                }
                storeMemory();
                fanOut(with, 50, seconds);
            } finally {
                with.close();
                without.close();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    static StewardServer server(Database db, Path dataDir, String requestMetrics) {
        var config = ServerConfig.parse(
                new String[] {"--port", "0", "--data-dir", dataDir.toString(), "--request-metrics", requestMetrics},
                Map.of());
        var server = new StewardServer(config, db, Clock.systemUTC(), AuthSettings.defaults());
        server.start();
        return server;
    }

    /** 16 client threads in a closed loop on {@code /health/ready} for {@code seconds}; returns answers per second. */
    static double load(HttpClient http, StewardServer server, int seconds) throws Exception {
        return load(http, URI.create(server.baseUrl() + "/health/ready"), seconds);
    }

    /** 16 client threads in a closed loop on {@code url} for {@code seconds}; returns answers per second. */
    static double load(HttpClient http, URI url, int seconds) throws Exception {
        var request = HttpRequest.newBuilder(url).build();
        var done = new LongAdder();
        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                        done.increment();
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.sum() / ((System.nanoTime() - started) / 1e9);
    }

    static void storeMemory() {
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        var store = new SeriesStore();
        var values = new HashMap<String, Double>();
        for (int i = 0; i < SeriesStore.MAX_SERIES; i++) {
            store.declare("s" + i);
            values.put("s" + i, (double) i);
        }
        long t0 = 1_800_000_000L;
        for (long s = 0; s < 24 * 3_600; s++) {
            store.record(t0 + s, values);
        }
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        System.out.printf(
                "series store full at its cap (%d series, 24 h recorded): %.1f MiB measured, %.1f MiB computed bound%n",
                SeriesStore.MAX_SERIES, (after - before) / 1048576.0, SeriesStore.boundBytes() / 1048576.0);
        if (store.names().isEmpty()) {
            throw new IllegalStateException("unreachable: keeps the store alive until measured");
        }
    }

    static void fanOut(StewardServer server, int clients, int seconds) throws Exception {
        String token = login(server);
        var client =
                new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
        var received = new LongAdder();
        java.util.Set<EventSource> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
        var lagMillis = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        List<EventSource> sources = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            var request = new Request.Builder()
                    .url(server.baseUrl() + "/api/v1/events")
                    .header("Authorization", "Bearer " + token)
                    .build();
            // a client (and dispatcher) per stream, as 50 separate consoles would have
            var own = client.newBuilder().dispatcher(new okhttp3.Dispatcher()).build();
            sources.add(EventSources.createFactory(own).newEventSource(request, new EventSourceListener() {
                @Override
                public void onEvent(EventSource source, String id, String type, String data) {
                    if ("metrics".equals(type)) {
                        received.increment();
                        streams.add(source);
                        int at = data.indexOf("\"at\":\"") + 6;
                        var sampled = java.time.Instant.parse(data.substring(at, data.indexOf('"', at)));
                        lagMillis.add(Duration.between(sampled, java.time.Instant.now())
                                .toMillis());
                    }
                }
            }));
        }
        Conditions.await(Duration.ofSeconds(10), "every stream open", () -> streams.size() == clients);
        received.reset();
        lagMillis.clear();
        long expected = (long) clients * seconds;
        long started = System.nanoTime();
        Conditions.await(
                Duration.ofSeconds(seconds + 10L), expected + " metrics events", () -> received.sum() >= expected);
        double took = (System.nanoTime() - started) / 1e9;
        long got = received.sum();
        var lags = lagMillis.stream().sorted().toList();
        sources.forEach(EventSource::cancel);
        System.out.printf(
                "fan-out: %d clients, %d metrics events in %.1f s (one a second each: %d s expected), delivery lag"
                        + " p50 %d ms, p99 %d ms, dropped %d%n",
                clients,
                got,
                took,
                seconds,
                lags.get(lags.size() / 2),
                lags.get(lags.size() * 99 / 100),
                droppedEvents(server, token));
        client.dispatcher().executorService().shutdown();
    }

    /** The latest value of the {@code events.dropped} series. */
    static long droppedEvents(StewardServer server, String token) throws Exception {
        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(server.baseUrl() + "/api/v1/metrics/series?name=events.dropped"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        var points =
                io.steward.server.http.Json.mapper().readTree(response.body()).get("points");
        return points.isEmpty() ? 0 : points.get(points.size() - 1).get("value").asLong();
    }

    static String login(StewardServer server) throws Exception {
        var http = HttpClient.newHttpClient();
        String body = "{\"email\":\"bench@steward.local\",\"password\":\"correct horse battery staple\"}";
        var response = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        int start = text.indexOf("\"token\":\"") + 9;
        return text.substring(start, text.indexOf('"', start));
    }
}
