package io.steward.server.benchmark;

import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.server.auth.AuthSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.testsupport.AccessLogTimes;
import io.steward.server.testsupport.RawHttpClient;
import io.steward.server.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a plain client waits for an answer beyond the server's own time for it, by answer size:
 * client-observed time (one kept-alive socket, default TCP settings, no forced quick ACKs) minus
 * the time the server's access log gives, with {@code --tcp-nodelay off} (the former behaviour,
 * baseline) and on, two servers on one database, measured in alternation. Not a test; see
 * docs/benchmarks.md.
 */
public final class AnswerLatencyBenchmark {
    private AnswerLatencyBenchmark() {}

    record Size(String label, String path) {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 3_300;
        // about 276 bytes of JSON per user in a page, about 160 bytes of CSV per user in the export
        List<Size> sizes = List.of(
                new Size("1 KiB", "/api/v1/users?limit=4"),
                new Size("10 KiB", "/api/v1/users?limit=37"),
                new Size("60 KiB", "/api/v1/users?limit=222"),
                new Size("500 KiB", "/api/v1/users/export.csv"));
        Path dir = Files.createTempDirectory("steward-bench");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            TestDatabase.seedDemo(db, Clock.systemUTC(), users);
            var off = server(db, dir.resolve("off"), "off");
            off.staffBootstrap().ensureAdmin("bench@steward.local", "correct horse battery staple");
            var on = server(db, dir.resolve("on"), "on");
            try (var times = AccessLogTimes.listen();
                    var offClient = new RawHttpClient(off.baseUrl());
                    var onClient = new RawHttpClient(on.baseUrl())) {
                String offToken = ObservabilityBenchmark.login(off);
                String onToken = ObservabilityBenchmark.login(on);
                System.out.printf(
                        "%d requests per size and setting, after 20 to warm up; %d demo users%n", requests, users);
                System.out.println(
                        "| answer | bytes | TCP_NODELAY | client − server p50 | p95 | client p50 | server p50 |");
                for (Size size : sizes) {
                    for (var run :
                            List.of(new Run("off (baseline)", offClient, offToken), new Run("on", onClient, onToken))) {
                        measure(run, size, 20, times); // warm-up
                        var result = measure(run, size, requests, times);
                        System.out.printf(
                                "| %s | %,d | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n",
                                size.label(),
                                result.bytes(),
                                run.label(),
                                percentile(result.gaps(), 50),
                                percentile(result.gaps(), 95),
                                percentile(result.clients(), 50),
                                percentile(result.servers(), 50));
                    }
                }
            } finally {
                off.close();
                on.close();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    record Run(String label, RawHttpClient client, String token) {}

    record Result(int bytes, List<Double> gaps, List<Double> clients, List<Double> servers) {}

    private static int sequence;

    static Result measure(Run run, Size size, int requests, AccessLogTimes times) throws Exception {
        var gaps = new ArrayList<Double>();
        var clients = new ArrayList<Double>();
        var servers = new ArrayList<Double>();
        int bytes = 0;
        for (int i = 0; i < requests; i++) {
            String id = "bench-" + sequence++;
            var answer =
                    run.client().get(size.path(), Map.of("Authorization", "Bearer " + run.token(), "X-Request-Id", id));
            if (answer.status() != 200) {
                throw new IllegalStateException(size.path() + " answered " + answer.status());
            }
            bytes = answer.body().length;
            double client = answer.nanos() / 1e6;
            double server = times.millis(id);
            clients.add(client);
            servers.add(server);
            gaps.add(client - server);
        }
        return new Result(bytes, gaps, clients, servers);
    }

    static double percentile(List<Double> values, int p) {
        var sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    static StewardServer server(Database db, Path dataDir, String tcpNoDelay) {
        var config = ServerConfig.parse(
                new String[] {
                    "--port",
                    "0",
                    "--data-dir",
                    dataDir.toString(),
                    "--tcp-nodelay",
                    tcpNoDelay,
                    "--backup-daily",
                    "off"
                },
                Map.of());
        var server = new StewardServer(config, db, Clock.systemUTC(), AuthSettings.defaults());
        server.start();
        return server;
    }
}
