package io.steward.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code steward-server} processes on one PostgreSQL behind nginx, run with the shipped
 * {@code docs/deploy/nginx/nginx.conf} (its addresses, port, certificate and API rate replaced):
 * the documented rolling restart under load loses no acknowledged write and answers no 5xx.
 */
class RollingRestartTest {
    static final Path SHIPPED = Path.of("..", "docs", "deploy", "nginx", "nginx.conf");
    static final String ADMIN = "rolling@steward.local";
    static final String PASSWORD = "a long measured passphrase";
    static final MediaType JSON = MediaType.get("application/json");
    static final Duration START = Duration.ofSeconds(60);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Kept after the run (target/rolling-restart/…): the instances' and nginx's logs. */
    Path tmp;

    String database;
    final List<ServerProcess> servers = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    Process nginx;
    Path nginxConf;
    String base;
    /**
     * Set up as the console's client is: a request whose pooled keep-alive connection the balancer
     * closed before reading it (nginx's old workers close idle connections on a reload) is sent
     * again on a new connection, as OkHttp does by default. Nothing else is retried.
     */
    final OkHttpClient http = new OkHttpClient.Builder()
            .retryOnConnectionFailure(true)
            .callTimeout(Duration.ofSeconds(30))
            .build();

    @BeforeEach
    void start() throws Exception {
        Path parent = Path.of("target", "rolling-restart").toAbsolutePath();
        Files.createDirectories(parent);
        tmp = Files.createTempDirectory(parent, "run-");
        // one audit signing key for all instances, as docs/deploy says: each checks the others' checkpoints
        io.steward.server.audit.SigningKey.load(tmp.resolve("audit-signing-key"), true);
        database = TestDatabase.createEmpty("rolling");
        for (int i = 0; i < 3; i++) {
            ports.add(freePort());
            servers.add(null);
        }
        servers.set(0, startInstance(0));
        servers.get(0).awaitListening(START);
        for (int i = 1; i < 3; i++) {
            servers.set(i, startInstance(i));
        }
        for (int i = 1; i < 3; i++) {
            servers.get(i).awaitListening(START);
        }
        int port = freePort();
        nginxConf = tmp.resolve("nginx.conf");
        writeNginxConf(port, -1);
        Files.createDirectories(tmp.resolve("nginx/logs"));
        nginx = new ProcessBuilder(
                        "nginx", "-p", tmp.resolve("nginx").toString(), "-c", nginxConf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("nginx/logs/console.log").toFile())
                .start();
        base = "http://127.0.0.1:" + port;
        Conditions.await(Duration.ofSeconds(10), "nginx answering", () -> {
            try (Response r = get("/health/ready", null)) {
                return r.code() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        for (ServerProcess s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }

    ServerProcess startInstance(int i) throws IOException {
        Map<String, String> env = Map.of("STEWARD_ADMIN_EMAIL", ADMIN, "STEWARD_ADMIN_PASSWORD", PASSWORD);
        return ServerProcess.start(
                tmp.resolve("data-" + i),
                env,
                io.steward.server.testsupport.TestDatabase.serverOptions(
                        database,
                        "--port",
                        String.valueOf(ports.get(i)),
                        "--instance",
                        "n" + (i + 1),
                        "--audit-signing-key-file",
                        tmp.resolve("audit-signing-key").toString(),
                        "--trusted-proxies",
                        "127.0.0.1",
                        "--backup-daily",
                        "off"));
    }

    /** The shipped file with this machine's addresses; {@code down} marks one instance out of rotation. */
    void writeNginxConf(int port, int down) throws IOException {
        String conf = Files.readString(SHIPPED);
        var upstream = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            upstream.append("        server 127.0.0.1:")
                    .append(ports.get(i))
                    .append(" max_fails=2 fail_timeout=10s")
                    .append(i == down ? " down" : "")
                    .append(";\n");
        }
        conf = replace(conf, "(?m)^        server 10\\.0\\.0\\.1\\d:8080 [^\\n]*\\n", "", 3);
        conf = replace(conf, "least_conn;\n[^}]*?(\n    })", "least_conn;\n" + upstream + "$1", 1);
        conf = replace(conf, "listen 443 ssl http2;", "listen 127.0.0.1:" + port + ";", 1);
        conf = replace(conf, "(?m)^\\s*ssl_[a-z_]+ [^\\n]*\\n", "", 3);
        conf = replace(conf, "pid /run/nginx-steward.pid;", "pid " + tmp.resolve("nginx/nginx.pid") + ";", 1);
        conf = replace(conf, "/var/log/nginx/", tmp.resolve("nginx/logs") + "/", 2);
        // the load comes from one address: the API limit is raised for it (sign-in keeps the shipped one)
        conf = replace(conf, "zone=steward_api:10m rate=10r/s", "zone=steward_api:10m rate=10000r/s", 1);
        Files.writeString(nginxConf, conf);
    }

    static String replace(String text, String regex, String replacement, int expected) {
        var matcher = java.util.regex.Pattern.compile(regex).matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        assertThat(found).as("%s in the shipped nginx.conf", regex).isEqualTo(expected);
        return text.replaceAll(regex, replacement);
    }

    /** {@code nginx -s reload}; returns once the old workers, and whatever they were proxying, are gone. */
    void reloadNginx() throws Exception {
        Set<Long> old =
                nginx.toHandle().children().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
        Process reload = new ProcessBuilder(
                        "nginx", "-p", tmp.resolve("nginx").toString(), "-c", nginxConf.toString(), "-s", "reload")
                .redirectErrorStream(true)
                .start();
        String out = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reload.waitFor()).as("nginx -s reload: %s", out).isZero();
        Conditions.await(Duration.ofSeconds(30), "only workers started by the reload", () -> {
            List<Long> workers =
                    nginx.toHandle().children().map(ProcessHandle::pid).toList();
            return !workers.isEmpty() && workers.stream().noneMatch(old::contains);
        });
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Response get(String path, String token) throws IOException {
        var builder = new Request.Builder().url(base + path);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.newCall(builder.build()).execute();
    }

    Response post(String path, String token, Object body) throws IOException {
        var builder =
                new Request.Builder().url(base + path).post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.newCall(builder.build()).execute();
    }

    String login() throws IOException {
        try (Response r = post("/api/v1/auth/login", null, Map.of("email", ADMIN, "password", PASSWORD))) {
            assertThat(r.code()).isEqualTo(200);
            return MAPPER.readTree(r.body().string()).get("token").asText();
        }
    }

    @Test
    void signInsFromOneAddressAreLimitedByTheBalancerInStewardsErrorShape() throws Exception {
        // twelve at once (sent one after another they would span seconds of refill)
        var answers = new ArrayList<java.util.concurrent.Future<Integer>>();
        try (var senders = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 12; i++) {
                int n = i;
                answers.add(senders.submit(() -> {
                    try (Response r = post(
                            "/api/v1/auth/login",
                            null,
                            Map.of("email", "guess@steward.local", "password", "guess " + n))) {
                        String body = r.body().string();
                        if (r.code() == 429) {
                            JsonNode error = MAPPER.readTree(body).get("error");
                            assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
                            assertThat(error.get("requestId").asText()).isNotBlank();
                        } else {
                            assertThat(r.code()).isEqualTo(401);
                        }
                        return r.code();
                    }
                }));
            }
        }
        int limited = 0;
        for (var answer : answers) {
            limited += answer.get() == 429 ? 1 : 0;
        }
        // 1 a second with a burst of 5: of 12 at once, about 6 get through
        assertThat(limited).isBetween(5, 7);
    }

    /** Which instance says it leads, asked directly (not through nginx); -1 when none does. */
    int leader(String token) {
        int found = -1;
        for (int i = 0; i < 3; i++) {
            if (servers.get(i) == null || !servers.get(i).process.isAlive()) {
                continue;
            }
            var request = new Request.Builder()
                    .url("http://127.0.0.1:" + ports.get(i) + "/api/v1/system")
                    .header("Authorization", "Bearer " + token)
                    .build();
            try (Response r = http.newCall(request).execute()) {
                if (MAPPER.readTree(r.body().string()).at("/cluster/leader").asBoolean()) {
                    assertThat(found).as("two leaders").isEqualTo(-1);
                    found = i;
                }
            } catch (IOException e) {
                // not answering: not leading
            }
        }
        return found;
    }

    @Test
    void aLeaderKilledOutrightIsReplacedWithinTwoSeconds() throws Exception {
        String token = login();
        Conditions.await(Duration.ofSeconds(10), "a leader", () -> leader(token) >= 0);
        int first = leader(token);
        long killed = System.nanoTime();
        servers.get(first).kill(); // SIGKILL: no shutdown, the lock goes with its session
        Conditions.await(Duration.ofSeconds(2), "another leader", () -> {
            int now = leader(token);
            return now >= 0 && now != first;
        });
        System.out.printf(
                "leader n%d killed; n%d leads after %d ms%n",
                first + 1,
                leader(token) + 1,
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        // and the balancer keeps answering without it
        for (int i = 0; i < 20; i++) {
            try (Response r = get("/api/v1/users?limit=1", token)) {
                assertThat(r.code()).isEqualTo(200);
            }
        }
    }

    @Test
    void aRollingRestartUnderLoadLosesNoAcknowledgedWriteAndAnswersNo5xx() throws Exception {
        String token = login();
        var running = new AtomicBoolean(true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        var answered = new AtomicInteger();
        var byInstance = new ConcurrentHashMap<String, AtomicInteger>();
        var load = new ArrayList<Thread>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            load.add(Thread.ofPlatform().start(() -> {
                for (int n = 0; running.get(); n++) {
                    String email = "rolling-" + writer + "-" + n + "@test.example";
                    var user = Map.of("email", email, "name", "Rolling " + writer + " " + n, "role", "student");
                    try (Response r = post("/api/v1/users", token, user)) {
                        answered.incrementAndGet();
                        byInstance
                                .computeIfAbsent(
                                        String.valueOf(r.header("X-Steward-Instance")), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (r.code() == 201) {
                            acknowledged.add(email);
                        } else {
                            failures.add("POST " + r.code() + " " + r.body().string());
                        }
                    } catch (IOException e) {
                        failures.add("POST " + e);
                    }
                }
            }));
        }
        for (int rd = 0; rd < 2; rd++) {
            load.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    for (String path : List.of("/health/ready", "/api/v1/users?limit=5&q=rolling")) {
                        try (Response r = get(path, token)) {
                            answered.incrementAndGet();
                            if (r.code() != 200) {
                                failures.add("GET " + path + " " + r.code() + " "
                                        + r.body().string());
                            }
                        } catch (IOException e) {
                            failures.add("GET " + path + " " + e);
                        }
                    }
                }
            }));
        }
        Conditions.await(Duration.ofSeconds(30), "the load under way", () -> acknowledged.size() >= 100);
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        var restartTimes = new ArrayList<Duration>();
        for (int i = 0; i < 3; i++) {
            // 1. out of rotation: nginx's new workers send it nothing, and the old ones are done
            writeNginxConf(port, i);
            reloadNginx();
            // 2. a graceful stop lets what it is serving finish
            long stopped = System.nanoTime();
            assertThat(servers.get(i).terminate()).isZero();
            servers.set(i, startInstance(i));
            String url = servers.get(i).awaitListening(START);
            Conditions.await(Duration.ofSeconds(30), "instance ready", () -> {
                try (Response r = http.newCall(
                                new Request.Builder().url(url + "/health/ready").build())
                        .execute()) {
                    return r.code() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
            restartTimes.add(Duration.ofNanos(System.nanoTime() - stopped));
            // 3. back in rotation
            writeNginxConf(port, -1);
            reloadNginx();
        }
        running.set(false);
        for (Thread t : load) {
            t.join(30_000);
        }

        assertThat(failures)
                .as("answers other than success, of %d", answered.get())
                .isEmpty();
        assertThat(acknowledged).hasSizeGreaterThan(100);
        assertThat(byInstance.keySet()).as("every instance served").contains("n1", "n2", "n3");
        Set<String> stored = ConcurrentHashMap.newKeySet();
        try (var c = TestDatabase.server(database).open();
                var rs = c.createStatement().executeQuery("SELECT email FROM users WHERE email LIKE 'rolling-%'")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).containsAll(acknowledged);
        try (Response r = get("/api/v1/audit/verify", token)) {
            var verify = MAPPER.readTree(r.body().string());
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.get("checkpoints").asLong())
                    .as("the instances' checkpoints, signed with the key they share")
                    .isPositive();
        }
        System.out.printf(
                "rolling restart: %d answers, %d users acknowledged and stored, per instance %s, restarts %s%n",
                answered.get(), acknowledged.size(), byInstance, restartTimes);
    }
}
