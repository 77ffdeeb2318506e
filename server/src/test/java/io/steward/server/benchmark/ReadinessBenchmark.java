package io.steward.server.benchmark;

import io.helidon.webserver.WebServer;
import io.steward.server.StewardServer;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Steward's {@code /health/ready} costs over the HTTP framework itself: requests/s of it
 * (a database round trip, request metrics, logging, headers) against a bare Helidon endpoint that
 * answers "ok" in the same JVM, 16 client threads in a closed loop each, in alternation. Not a
 * test; see docs/benchmarks.md.
 */
public final class ReadinessBenchmark {
    private ReadinessBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("steward-bench");
        WebServer bare = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(r -> r.get("/bare", (req, res) -> res.send("ok")))
                .build()
                .start();
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            StewardServer steward = ObservabilityBenchmark.server(db, dir.resolve("a"), "on");
            try {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                URI ready = URI.create(steward.baseUrl() + "/health/ready");
                URI plain = URI.create("http://127.0.0.1:" + bare.port() + "/bare");
                ObservabilityBenchmark.load(http, ready, 5); // warm-up
                ObservabilityBenchmark.load(http, plain, 5);
                for (int round = 1; round <= 3; round++) {
                    double readyRate = ObservabilityBenchmark.load(http, ready, seconds);
                    double bareRate = ObservabilityBenchmark.load(http, plain, seconds);
                    System.out.printf(
                            "round %d: /health/ready %,.0f req/s, bare Helidon endpoint %,.0f req/s (ratio %.2f)%n",
                            round, readyRate, bareRate, bareRate / readyRate);
                }
            } finally {
                steward.close();
            }
        } finally {
            bare.stop();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
