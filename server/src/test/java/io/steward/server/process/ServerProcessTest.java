package io.steward.server.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code steward-server} process on the embedded PostgreSQL: first start, the admin it
 * creates, what survives a kill -9, and a clean SIGTERM.
 */
class ServerProcessTest {
    static final Duration START = Duration.ofSeconds(120);
    final OkHttpClient http =
            new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path tmp;

    JsonNode call(String method, String url, String token, Object body) throws Exception {
        var builder = new Request.Builder().url(url);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            builder.method(
                    method, RequestBody.create(mapper.writeValueAsBytes(body), MediaType.get("application/json")));
        }
        try (Response r = http.newCall(builder.build()).execute()) {
            String text = r.body().string();
            assertThat(r.code()).as(method + " " + url + " → " + text).isBetween(200, 299);
            return text.isEmpty() ? mapper.nullNode() : mapper.readTree(text);
        }
    }

    String login(String base, String email, String password) throws Exception {
        return call("POST", base + "/api/v1/auth/login", null, Map.of("email", email, "password", password))
                .get("token")
                .asText();
    }

    static Optional<Long> postmasterPid(Path dataDir) throws Exception {
        Path pid = dataDir.resolve("pg/postmaster.pid");
        return Files.exists(pid)
                ? Optional.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim()))
                : Optional.empty();
    }

    @Test
    void firstStartCreatesTheAdminAndDataSurvivesAKillAndARestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        String password;
        String firstPostgres;
        try (var server = ServerProcess.start(dataDir, Map.of())) {
            String base = server.awaitListening(START);
            assertThat(base).startsWith("http://127.0.0.1:");
            assertThat(server.stdout).anyMatch(l -> l.contains("Created the first admin account: admin@steward.local"));
            Path passwordFile = dataDir.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            password = Files.readString(passwordFile).trim();
            assertThat(server.stdout).anyMatch(l -> l.contains(password));

            String token = login(base, "admin@steward.local", password);
            JsonNode system = call("GET", base + "/api/v1/system", token, null);
            assertThat(system.get("mode").asText()).isEqualTo("embedded");
            assertThat(system.at("/database/version").asText()).startsWith("17.");
            assertThat(system.get("migrations").get(0).get("version").asText()).isEqualTo("1");
            assertThat(system.get("migrations").get(0).get("checksum").isNumber())
                    .isTrue();
            firstPostgres = String.valueOf(postmasterPid(dataDir).orElseThrow());

            server.kill(); // SIGKILL: no shutdown hook, PostgreSQL is left behind
        }
        assertThat(ProcessHandle.of(Long.parseLong(firstPostgres)).map(ProcessHandle::isAlive))
                .contains(true);

        try (var server = ServerProcess.start(dataDir, Map.of())) {
            String base = server.awaitListening(START);
            assertThat(server.stdout).noneMatch(l -> l.contains("Created the first admin account"));
            String token = login(base, "admin@steward.local", password);
            JsonNode me = call("GET", base + "/api/v1/auth/me", token, null);
            assertThat(me.get("email").asText()).isEqualTo("admin@steward.local");
            assertThat(ProcessHandle.of(Long.parseLong(firstPostgres))
                            .map(ProcessHandle::isAlive)
                            .orElse(false))
                    .isFalse();

            assertThat(server.terminate()).as("exit code after SIGTERM").isZero();
        }
        assertThat(postmasterPid(dataDir))
                .as("PostgreSQL stopped cleanly with the server")
                .isEmpty();
    }

    @Test
    void theAdminCanBeGivenThroughTheEnvironmentAndDemoAddsStaff() throws Exception {
        Path dataDir = tmp.resolve("env-admin");
        var env = Map.of(
                "STEWARD_ADMIN_EMAIL", "ops@academy.example", "STEWARD_ADMIN_PASSWORD", "a long admin passphrase");
        try (var server = ServerProcess.start(dataDir, env, "--demo=50")) {
            String base = server.awaitListening(START);
            assertThat(Files.exists(dataDir.resolve("initial-admin-password"))).isFalse();
            assertThat(server.stdout).noneMatch(l -> l.contains("a long admin passphrase"));
            login(base, "ops@academy.example", "a long admin passphrase");
            login(base, "support@steward.local", "a long admin passphrase");
            login(base, "auditor@steward.local", "a long admin passphrase");
            assertThat(server.terminate()).isZero();
        }
    }

    /** A write's answer: its HTTP status, or -1 when the connection broke before one came. */
    int attempt(String method, String url, String token, Object body, java.util.function.Consumer<JsonNode> onOk) {
        try {
            var builder = new Request.Builder()
                    .url(url)
                    .header("Authorization", "Bearer " + token)
                    .method(
                            method,
                            RequestBody.create(mapper.writeValueAsBytes(body), MediaType.get("application/json")));
            try (Response r = http.newCall(builder.build()).execute()) {
                String text = r.body().string();
                if (r.isSuccessful()) {
                    onOk.accept(mapper.readTree(text));
                }
                return r.code();
            }
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** A user's last acknowledged name, and the names sent since without an answer. */
    record Names(String acknowledged, List<String> sentSince) {}

    @Test
    void writesAcknowledgedBeforeAKillAreThereAfterTheRestartAndTheChainVerifies() throws Exception {
        Path dataDir = tmp.resolve("killed-mid-write");
        var env = Map.of(
                "STEWARD_ADMIN_EMAIL", "ops@academy.example", "STEWARD_ADMIN_PASSWORD", "a long admin passphrase");
        // each writer renames only the users it created, so "last acknowledged" is well defined
        var names = new java.util.concurrent.ConcurrentHashMap<String, Names>();
        var broken = new java.util.concurrent.atomic.AtomicInteger();
        try (var server = ServerProcess.start(dataDir, env, "--demo=50")) {
            String base = server.awaitListening(START);
            String token = login(base, "ops@academy.example", "a long admin passphrase");
            var running = new java.util.concurrent.atomic.AtomicBoolean(true);
            var writers = new java.util.ArrayList<Thread>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    var mine = new java.util.ArrayList<String>();
                    for (int i = 0; running.get(); i++) {
                        int status = attempt(
                                "POST",
                                base + "/api/v1/users",
                                token,
                                Map.of(
                                        "email",
                                        "w" + writer + "-" + i + "@academy.example",
                                        "name",
                                        "Writer " + writer + " #" + i,
                                        "role",
                                        "student"),
                                user -> {
                                    mine.add(user.get("id").asText());
                                    names.put(
                                            user.get("id").asText(),
                                            new Names(user.get("name").asText(), List.of()));
                                });
                        if (status == -1) {
                            broken.incrementAndGet();
                            return;
                        }
                        String id = mine.get(i % mine.size());
                        String name = "Renamed by " + writer + " #" + i;
                        Names before = names.get(id);
                        var sent = new java.util.ArrayList<>(before.sentSince());
                        sent.add(name);
                        names.put(id, new Names(before.acknowledged(), List.copyOf(sent)));
                        status = attempt(
                                "PATCH",
                                base + "/api/v1/users/" + id,
                                token,
                                Map.of("name", name),
                                ok -> names.put(id, new Names(name, List.of())));
                        if (status == -1) {
                            broken.incrementAndGet();
                            return;
                        }
                    }
                }));
            }
            io.steward.server.testsupport.Conditions.await(
                    Duration.ofSeconds(60), "users created", () -> names.size() >= 40);
            server.kill(); // SIGKILL in the middle of the writes
            running.set(false);
            for (Thread t : writers) {
                t.join(Duration.ofSeconds(30));
            }
        }
        assertThat(names).as("users created before the kill").hasSizeGreaterThan(20);
        assertThat(broken).as("writes cut off by the kill").hasPositiveValue();

        try (var server = ServerProcess.start(dataDir, env)) {
            String base = server.awaitListening(START);
            String token = login(base, "ops@academy.example", "a long admin passphrase");
            names.forEach((id, expected) -> {
                try {
                    // a rename cut off by the kill may have landed without its answer
                    String name = call("GET", base + "/api/v1/users/" + id, token, null)
                            .get("name")
                            .asText();
                    var allowed = new java.util.ArrayList<>(expected.sentSince());
                    allowed.add(expected.acknowledged());
                    assertThat(name).as("user %s", id).isIn(allowed);
                } catch (Exception e) {
                    throw new AssertionError("user " + id + " acknowledged but not readable", e);
                }
            });
            JsonNode verify = call("GET", base + "/api/v1/audit/verify", token, null);
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
            assertThat(verify.get("checked").asLong()).isGreaterThan(names.size());
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void aBadOptionStopsWithAClearMessageAndExitCodeTwo() throws Exception {
        try (var server = ServerProcess.start(tmp.resolve("bad"), Map.of(), "--port", "seventy")) {
            assertThat(server.process.waitFor()).isEqualTo(2);
            String stderr = Files.readString(tmp.resolve("bad-stderr.log"));
            assertThat(stderr)
                    .contains("--port must be a whole number, got seventy")
                    .contains("Usage: steward-server");
        }
    }

    @Test
    void withADatabaseUrlTheServerUsesThatPostgresql() throws Exception {
        String database = io.steward.server.testsupport.TestDatabase.createEmpty("external_process");
        var env = Map.of(
                "STEWARD_ADMIN_EMAIL", "ops@academy.example", "STEWARD_ADMIN_PASSWORD", "a long admin passphrase");
        Path dataDir = tmp.resolve("external");
        try (var server = ServerProcess.start(
                dataDir,
                env,
                "--db-url",
                io.steward.server.testsupport.TestDatabase.jdbcUrl(database),
                "--db-user",
                "postgres")) {
            String base = server.awaitListening(START);
            String token = login(base, "ops@academy.example", "a long admin passphrase");
            JsonNode system = call("GET", base + "/api/v1/system", token, null);
            assertThat(system.get("mode").asText()).isEqualTo("external");
            assertThat(system.at("/database/url").asText()).endsWith("/" + database);
            assertThat(Files.exists(dataDir.resolve("pg")))
                    .as("no embedded database started")
                    .isFalse();
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void sigtermLetsARequestInFlightFinish() throws Exception {
        var env = Map.of(
                "STEWARD_ADMIN_EMAIL", "ops@academy.example", "STEWARD_ADMIN_PASSWORD", "a long admin passphrase");
        try (var server = ServerProcess.start(tmp.resolve("drain"), env)) {
            var url = java.net.URI.create(server.awaitListening(START)).toURL();
            byte[] body = mapper.writeValueAsBytes(
                    Map.of("email", "ops@academy.example", "password", "a long admin passphrase"));
            try (var socket = new java.net.Socket(url.getHost(), url.getPort())) {
                var out = socket.getOutputStream();
                var in = new java.io.DataInputStream(socket.getInputStream());
                // a first exchange proves the connection is accepted and served
                out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
                // the second request is in flight: the server answers "100 Continue" once its handler
                // is about to read the body, and the body has not been sent yet
                out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(US_ASCII));
                out.flush();
                assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
                while (!readLine(in).isEmpty()) {
                    // rest of the interim response's head
                }
                server.process.destroy(); // SIGTERM
                out.write(body);
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("\"token\"");
            }
            assertThat(server.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(server.process.exitValue()).isZero();
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, as text. */
    private static String readResponse(java.io.DataInputStream in) throws java.io.IOException {
        var head = new StringBuilder();
        int contentLength = 0;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            head.append(line).append("\n");
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = new byte[contentLength];
        in.readFully(body);
        return head + "\n" + new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        var line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new java.io.EOFException("connection closed mid-response: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(US_ASCII);
    }
}
