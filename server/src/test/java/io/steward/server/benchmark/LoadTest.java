package io.steward.server.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A mixed workload against a running server, open loop: requests are sent at a fixed rate
 * whatever the answers do, and each latency counts from when its request was due (so a stalled
 * server is not hidden by a client that waits for it). 70 % reads (user search, user detail,
 * readiness, a metrics series) and 30 % writes (user renames, GDPR requests, flag changes, each
 * audited). For each rate: requests/s answered, p50/p95/p99/max latency, errors, and the server's
 * CPU (its JVM and its PostgreSQL processes) and resident memory read from /proc. Not a test; run
 * by {@code scripts/load.sh}, see docs/benchmarks.md.
 *
 * <p>Arguments: {@code URL EMAIL PASSWORD SERVER_PID POSTMASTER_PID SECONDS RATE...}
 */
public final class LoadTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final String base;
    private final OkHttpClient http;
    private final String token;
    private final List<String> userIds;
    private final List<String> fragments;

    private LoadTest(String base, String email, String password) throws IOException {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        var dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(2_000);
        dispatcher.setMaxRequestsPerHost(2_000);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(400, 1, java.util.concurrent.TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        this.token = MAPPER.readTree(
                        send("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", password)))
                .get("token")
                .asText();
        var ids = new ArrayList<String>();
        var names = new ArrayList<String>();
        String cursor = null;
        while (ids.size() < 2_000) {
            JsonNode page = MAPPER.readTree(send(
                    "GET",
                    "/api/v1/users?role=student&limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    token,
                    null));
            page.get("items").forEach(u -> {
                ids.add(u.get("id").asText());
                names.add(u.get("name").asText());
            });
            if (page.get("nextCursor").isNull()) {
                break;
            }
            cursor = page.get("nextCursor").asText();
        }
        this.userIds = List.copyOf(ids);
        // three-letter fragments of real names, as support staff type them
        this.fragments = names.stream()
                .map(n -> n.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""))
                .filter(n -> n.length() >= 3)
                .map(n -> n.substring(0, 3))
                .distinct()
                .toList();
    }

    private String send(String method, String path, String bearer, Object body) throws IOException {
        var builder = new Request.Builder().url(base + path);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        builder.method(method, body == null ? null : RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
        try (Response r = http.newCall(builder.build()).execute()) {
            String text = r.body().string();
            if (!r.isSuccessful()) {
                throw new IOException(method + " " + path + " → " + r.code() + " " + text);
            }
            return text;
        }
    }

    /** The kinds of request in the mix, in the order of their shares. */
    static final List<String> KINDS = List.of("search", "detail", "ready", "series", "rename", "gdpr", "flag");

    /** Which kind a pick from 0 to 99 is: 25 % search, 15 % each detail, readiness and series, 20 % rename, 5 % each GDPR request and flag change. */
    static int kind(int pick) {
        return pick < 25 ? 0 : pick < 40 ? 1 : pick < 55 ? 2 : pick < 70 ? 3 : pick < 90 ? 4 : pick < 95 ? 5 : 6;
    }

    /** One request of the mix, of kind {@code pick}; returns its status (or -1 when the connection failed). */
    private int oneRequest(AtomicInteger counter, int pick) {
        var random = ThreadLocalRandom.current();
        String id = userIds.get(random.nextInt(userIds.size()));
        Request.Builder request = new Request.Builder().header("Authorization", "Bearer " + token);
        if (pick < 25) {
            request.url(base + "/api/v1/users?limit=20&q=" + fragments.get(random.nextInt(fragments.size())));
        } else if (pick < 40) {
            request.url(base + "/api/v1/users/" + id);
        } else if (pick < 55) {
            request.url(base + "/health/ready");
        } else if (pick < 70) {
            request.url(base + "/api/v1/metrics/series?name=http.requests.rate&window=5m");
        } else if (pick < 90) {
            request.url(base + "/api/v1/users/" + id)
                    .patch(json(Map.of("name", "Load Renamed " + counter.incrementAndGet())));
        } else if (pick < 95) {
            request.url(base + "/api/v1/gdpr/requests").post(json(Map.of("userId", id, "type", "access")));
        } else {
            request.url(base + "/api/v1/flags/load-test")
                    .put(json(Map.of("enabled", true, "percentage", random.nextInt(101), "description", "load test")));
        }
        try (Response r = http.newCall(request.build()).execute()) {
            r.body().bytes();
            return r.code();
        } catch (IOException e) {
            return -1;
        }
    }

    private static RequestBody json(Object body) {
        try {
            return RequestBody.create(MAPPER.writeValueAsBytes(body), JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Step(
            int rate,
            double answeredPerSecond,
            long p50,
            long p95,
            long p99,
            long max,
            int errors,
            double jvmCpu,
            double postgresCpu,
            long rssMiB,
            String p99ByKind) {}

    private Step run(int rate, int seconds, long serverPid, long postmasterPid) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        int[] statuses = new int[total];
        int[] kinds = new int[total];
        var counter = new AtomicInteger();
        var threads = new ArrayList<Thread>(total);
        long[] cpuBefore = cpu(serverPid, postmasterPid);
        long start = System.nanoTime() + 100_000_000L;
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            int pick = ThreadLocalRandom.current().nextInt(100);
            kinds[index] = kind(pick);
            threads.add(Thread.ofVirtual().start(() -> {
                statuses[index] = oneRequest(counter, pick);
                latencies[index] = System.nanoTime() - due;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] cpuAfter = cpu(serverPid, postmasterPid);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        int errors =
                (int) Arrays.stream(statuses).filter(s -> s < 200 || s >= 400).count();
        var byKind = new ArrayList<String>();
        for (int k = 0; k < KINDS.size(); k++) {
            int kind = k;
            long[] mine = java.util.stream.IntStream.range(0, total)
                    .filter(i -> kinds[i] == kind)
                    .mapToLong(i -> latencies[i])
                    .sorted()
                    .toArray();
            if (mine.length > 0) {
                byKind.add(KINDS.get(k) + " " + mine[(int) (mine.length * 0.99)] / 1_000_000);
            }
        }
        return new Step(
                rate,
                total / elapsed,
                sorted[(int) (total * 0.50)] / 1_000_000,
                sorted[(int) (total * 0.95)] / 1_000_000,
                sorted[(int) (total * 0.99)] / 1_000_000,
                sorted[total - 1] / 1_000_000,
                errors,
                100.0 * (cpuAfter[0] - cpuBefore[0]) / TICKS_PER_SECOND / elapsed,
                100.0 * (cpuAfter[1] - cpuBefore[1]) / TICKS_PER_SECOND / elapsed,
                rssKiB(serverPid) / 1024,
                String.join(", ", byKind));
    }

    /**
     * CPU ticks (user + system) of the server's JVM, and of its PostgreSQL: the postmaster and the
     * processes under it (backends come and go; those that ended within the step are not counted).
     */
    private static long[] cpu(long pid, long postmaster) {
        long postgres = ticks(postmaster)
                + ProcessHandle.of(postmaster)
                        .map(p -> p.descendants().mapToLong(d -> ticks(d.pid())).sum())
                        .orElse(0L);
        return new long[] {ticks(pid), postgres};
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended between listing and reading
        }
    }

    private static long rssKiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long pid = Long.parseLong(args[3]);
        long postmaster = Long.parseLong(args[4]);
        int seconds = Integer.parseInt(args[5]);
        var load = new LoadTest(url, args[1], args[2]);
        System.out.printf(
                "%d users sampled, %d search fragments; %d s per rate%n",
                load.userIds.size(), load.fragments.size(), seconds);
        load.run(50, 10, pid, postmaster); // warm-up: JIT, pool, caches
        System.out.println(
                "| offered req/s | answered req/s | p50 ms | p95 ms | p99 ms | max ms | errors | server JVM CPU % | PostgreSQL CPU % | server RSS MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 6; i < args.length; i++) {
            Step s = load.run(Integer.parseInt(args[i]), seconds, pid, postmaster);
            System.out.printf(
                    Locale.ENGLISH,
                    "| %d | %.0f | %d | %d | %d | %d | %d | %.0f | %.0f | %d |%n",
                    s.rate(),
                    s.answeredPerSecond(),
                    s.p50(),
                    s.p95(),
                    s.p99(),
                    s.max(),
                    s.errors(),
                    s.jvmCpu(),
                    s.postgresCpu(),
                    s.rssMiB());
            System.out.println("  p99 ms by kind at " + s.rate() + " req/s: " + s.p99ByKind());
        }
        load.http.dispatcher().executorService().shutdown();
        load.http.connectionPool().evictAll();
    }
}
