package io.steward.server.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.db.Database;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;
import java.util.zip.ZipFile;
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

    /**
     * Another local user prepares the folder the PostgreSQL programs would run from: Steward refuses
     * it, naming the folder and why; removed, Steward unpacks its own, owner-only, and runs
     * PostgreSQL from there; a program changed later is noticed and unpacked again.
     */
    @Test
    void plantedPostgresqlProgramsAreRefusedAndTheServerRunsOnlyItsOwn() throws Exception {
        Path dataDir = tmp.resolve("planted");
        Path programs = dataDir.resolve("pg-binaries");
        Files.createDirectories(programs);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(programs, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(refusedStart(dataDir))
                .contains("the PostgreSQL programs folder " + programs)
                .contains("mode rwxrwxrwx")
                .doesNotContain("Exception");

        Files.setPosixFilePermissions(programs, PosixFilePermissions.fromString("rwx------"));
        var lookup = programs.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(programs, lookup.lookupPrincipalByName("nobody"));
        assertThat(refusedStart(dataDir))
                .contains("the PostgreSQL programs folder " + programs + " belongs to user id")
                .doesNotContain("Exception");
        assertThat(postmasterPid(dataDir)).as("no PostgreSQL was started").isEmpty();

        // a data folder in a folder others may write: they could swap the programs folder for theirs
        Path groupWritable = tmp.resolve("group-writable");
        Files.createDirectories(groupWritable);
        Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rwxrwx---"));
        Path exposed = groupWritable.resolve("data");
        assertThat(refusedStart(exposed))
                .contains("the folder " + exposed + " holding the PostgreSQL programs folder is not safe: "
                        + groupWritable + " can be written by its group (mode rwxrwx---)")
                .doesNotContain("Exception");
        assertThat(postmasterPid(exposed)).as("no PostgreSQL was started").isEmpty();

        Files.delete(programs);
        Path postgres;
        try (var server = ServerProcess.start(dataDir, Map.of())) {
            server.awaitListening(START);
            postgres = postgresProgram(dataDir);
            assertThat(postgres).startsWith(programs);
            assertThat(mode(programs)).isEqualTo("rwx------");
            try (var inside = Files.walk(programs)) {
                for (Path path : inside.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                    assertThat(mode(path).substring(3)).as(path.toString()).isEqualTo("------");
                }
            }
            assertThat(server.terminate()).isZero();
        }

        // a program changed behind Steward's back is not run
        byte[] original = Files.readAllBytes(postgres);
        Files.write(postgres, "#!/bin/sh\nexit 1\n".getBytes(US_ASCII));
        try (var server = ServerProcess.start(dataDir, Map.of())) {
            server.awaitListening(START);
            assertThat(Files.readAllBytes(postgres)).isEqualTo(original);
            assertThat(server.terminate()).isZero();
        }
    }

    /**
     * The embedded-PostgreSQL library, left to itself, clears out "stale data folders" in a shared
     * folder under the temporary directory on every start: it opens each one's {@code epg-lock}
     * for writing (truncating whatever a planted link points at) and deletes the folder. Steward
     * gives it a private folder instead, so what another user plants there is never touched.
     */
    @Test
    void whatAnotherUserPlantsInTheSharedTemporaryFolderIsNeverTouched() throws Exception {
        Path shared = tmp.resolve("shared-tmp");
        Path stale = shared.resolve("embedded-pg").resolve("planted-instance");
        Files.createDirectories(stale);
        Path dataDir = tmp.resolve("victim");
        Files.createDirectories(dataDir);
        Path precious = dataDir.resolve("precious");
        Files.writeString(precious, "Steward's own file", US_ASCII);
        Files.setLastModifiedTime(
                precious, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
        Files.createSymbolicLink(stale.resolve("epg-lock"), precious);

        try (var server = ServerProcess.start(dataDir, Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + shared))) {
            server.awaitListening(START);
            assertThat(server.terminate()).isZero();
        }
        assertThat(Files.readString(precious, US_ASCII)).isEqualTo("Steward's own file");
        assertThat(stale.resolve("epg-lock"))
                .as("the planted folder is left alone")
                .isSymbolicLink();
    }

    /** What a server that must refuse to start on {@code dataDir} says; it exits with status 2. */
    String refusedStart(Path dataDir) throws Exception {
        try (var server = ServerProcess.start(dataDir, Map.of())) {
            assertThat(server.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the server stopped")
                    .isTrue();
            assertThat(server.process.exitValue()).isEqualTo(2);
        }
        return Files.readString(dataDir.resolveSibling(dataDir.getFileName() + "-stderr.log"));
    }

    /** The program the data folder's running postmaster was started from. */
    static Path postgresProgram(Path dataDir) throws Exception {
        long pid = postmasterPid(dataDir).orElseThrow();
        return Path.of("/proc", Long.toString(pid), "exe").toRealPath();
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
        try (var server =
                ServerProcess.start(dataDir, env, io.steward.server.testsupport.TestDatabase.serverOptions(database))) {
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

    /**
     * Started under {@code umask 000}, as a careless service unit would: what the server writes to
     * disk is still readable by its own user alone, and an archive read without the key gives away
     * no personal data.
     */
    @Test
    void
            underAnOpenUmaskEverythingWrittenIsOwnerOnlyAndAnArchiveWithoutItsKeyRevealsNothingEverythingWrittenIsOwnerOnlyAndAnArchiveWithoutItsKeyRevealsNothing()
                    throws Exception {
        String database = TestDatabase.createEmpty("private_backups");
        Path dataDir = tmp.resolve("data");
        var env = Map.of(
                "STEWARD_ADMIN_EMAIL", "ops@academy.example", "STEWARD_ADMIN_PASSWORD", "a long admin passphrase");
        try (var server = ServerProcess.startUnderOpenUmask(
                dataDir,
                env,
                io.steward.server.testsupport.TestDatabase.serverOptions(
                        database, "--demo=200", "--backup-daily", "off"))) {
            String base = server.awaitListening(Duration.ofSeconds(120));
            String token = login(base, "ops@academy.example", "a long admin passphrase");
            String id = call("POST", base + "/api/v1/backups", token, Map.of())
                    .get("id")
                    .asText();
            Conditions.await(Duration.ofSeconds(120), "backup " + id + " finished", () -> {
                try {
                    return !call("GET", base + "/api/v1/backups/" + id, token, null)
                            .get("status")
                            .asText()
                            .equals("running");
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode backup = call("GET", base + "/api/v1/backups/" + id, token, null);
            assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("completed");

            Path backups = dataDir.resolve("backups");
            Path archive = backups.resolve(backup.get("fileName").asText());
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(backups)).isEqualTo("rwx------");
            assertThat(mode(archive)).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("backup-key"))).isEqualTo("rw-------");
            try (var files = Files.list(dataDir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
                }
            }
            try (var files = Files.list(backups)) {
                for (Path file : files.toList()) {
                    assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
                }
            }

            List<String> secrets = new ArrayList<>();
            try (Database db = TestDatabase.open(database)) {
                secrets.addAll(TestDatabase.strings(
                        db,
                        "SELECT email FROM users WHERE email = 'ops@academy.example' OR id IN"
                                + " (SELECT id FROM users ORDER BY email LIMIT 20)"));
            }
            assertThat(secrets).contains("ops@academy.example").hasSizeGreaterThan(20);
            secrets.add("$argon2");
            for (String readable : whatAnyoneCanRead(archive)) {
                for (String secret : secrets) {
                    assertThat(readable).as("the archive's plain contents").doesNotContain(secret);
                }
            }
            assertThat(server.terminate()).isZero();
        }
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /**
     * Every entry of the archive as {@code unzip} would give it, and inflated once more in case
     * it is deflate data: what someone holding the file but not the key can read.
     */
    static List<String> whatAnyoneCanRead(Path archive) throws IOException {
        var readable = new ArrayList<String>();
        try (var zip = new ZipFile(archive.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                readable.add(new String(bytes, StandardCharsets.ISO_8859_1));
                readable.add(new String(inflated(bytes), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(readable).isNotEmpty();
        return readable;
    }

    static byte[] inflated(byte[] bytes) {
        var inflater = new Inflater(true);
        var out = new ByteArrayOutputStream();
        try {
            inflater.setInput(bytes);
            byte[] buffer = new byte[1 << 16];
            while (!inflater.finished() && !inflater.needsInput()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            // not deflate data: what was read so far is all there is
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }
}
