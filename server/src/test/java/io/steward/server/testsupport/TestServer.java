package io.steward.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.server.api.Role;
import io.steward.server.auth.AuthSettings;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.db.Database;
import io.steward.server.http.Json;
import io.steward.server.users.UserRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A real server on a free loopback port, on its own real database, with one account per role
 * (all with {@link #PASSWORD}) and an OkHttp client. Built by the same constructor production
 * uses; only the clock is a test clock.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String ADMIN = "admin@test.example";
    public static final String SUPPORT = "support@test.example";
    public static final String AUDITOR = "auditor@test.example";
    public static final String STUDENT = "student@test.example";
    public static final MediaType JSON = MediaType.get("application/json");

    public final MutableClock clock = MutableClock.startingNow();
    public final Database db;
    public final StewardServer server;
    public final String baseUrl;
    public final OkHttpClient http = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(false)
            .build();
    public final ObjectMapper mapper = Json.mapper();

    static {
        // Helidon logs through java.util.logging; send it where everything else goes
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }

    private TestServer(String name, AuthSettings settings, String... extraArgs) {
        this(TestDatabase.fresh(name), name, settings, true, true, Duration.ZERO, extraArgs);
    }

    private TestServer(Database db, String name, AuthSettings settings, String... extraArgs) {
        // the staff are seeded, so the database is a new installation: the folder's files of an earlier one are not its
        // own
        this(db, name, settings, true, true, Duration.ZERO, extraArgs);
    }

    private TestServer(
            Database db,
            String name,
            AuthSettings settings,
            boolean seedStaff,
            boolean freshDatabase,
            Duration startedAgo,
            String... extraArgs) {
        this.db = db;
        clock.advance(startedAgo.negated());
        var args = new java.util.ArrayList<>(java.util.List.of(
                "--port", "0", "--data-dir", Path.of("target", "data", name).toString()));
        args.addAll(java.util.List.of(extraArgs));
        var config = ServerConfig.parse(args.toArray(String[]::new), Map.of());
        if (freshDatabase) {
            // a new database is a new installation: the erasure ledger of an earlier one in the
            // same folder is not its own
            try {
                java.nio.file.Files.deleteIfExists(
                        config.backupDir().resolve(io.steward.server.gdpr.ErasureLedger.FILE_NAME));
                // nor are its audit checkpoints
                java.nio.file.Files.deleteIfExists(
                        config.dataDir().resolve(io.steward.server.audit.AuditCheckpoints.FILE_NAME));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        this.server = new StewardServer(config, db, clock, settings);
        if (!seedStaff) {
            startOrClose(server);
            this.baseUrl = server.baseUrl();
            return;
        }
        server.staffBootstrap().ensureAdmin(ADMIN, PASSWORD);
        var hasher = new PasswordHasher();
        var users = new UserRepository();
        String hash = hasher.hash(PASSWORD);
        db.inTransaction(tx -> {
            users.insert(tx, UUID.randomUUID(), SUPPORT, "Sam Support", Role.SUPPORT, hash, clock.instant());
            users.insert(tx, UUID.randomUUID(), AUDITOR, "Alex Auditor", Role.AUDITOR, hash, clock.instant());
            users.insert(tx, UUID.randomUUID(), STUDENT, "Stu Dent", Role.STUDENT, hash, clock.instant());
            return null;
        });
        startOrClose(server);
        this.baseUrl = server.baseUrl();
    }

    private static void startOrClose(StewardServer server) {
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public static TestServer start(String name) {
        return new TestServer(name, AuthSettings.defaults());
    }

    public static TestServer start(String name, AuthSettings settings, String... args) {
        return new TestServer(name, settings, args);
    }

    /** On a database of the test's own making (a PostgreSQL it stops and starts, say). */
    public static TestServer on(Database db, String name, String... args) {
        return new TestServer(db, name, AuthSettings.defaults(), args);
    }

    /** On a database that already has its staff (a restored one, say), as a server started on it. */
    public static TestServer onExisting(Database db, String name, String... args) {
        return new TestServer(db, name, AuthSettings.defaults(), false, false, Duration.ZERO, args);
    }

    /**
     * Another instance on the database of {@code first} (its own pool, its own port), as when
     * several serve behind a load balancer; the staff accounts are those {@code first} made.
     */
    public static TestServer join(TestServer first, String name, String... args) {
        return new TestServer(
                TestDatabase.open(TestDatabase.nameOf(first.db)),
                name,
                AuthSettings.defaults(),
                false,
                false,
                Duration.ZERO,
                args);
    }

    /**
     * On a new database whose business clock starts {@code ago} in the past, staff accounts and all:
     * a test then moves it forward to make history that is in the order it happened.
     */
    public static TestServer startedAgo(String name, Duration ago) {
        return new TestServer(TestDatabase.fresh(name), name, AuthSettings.defaults(), true, true, ago);
    }

    /** With extra command-line options, e.g. {@code --gdpr-recipients}. */
    public static TestServer startWith(String name, String... args) {
        return new TestServer(name, AuthSettings.defaults(), args);
    }

    /** Signs in and returns the token. */
    public String login(String email) {
        try (Response r = call("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", PASSWORD))) {
            assertThat(r.code()).as("sign-in of %s", email).isEqualTo(200);
            return json(r).get("token").asText();
        }
    }

    public String tokenFor(Role role) {
        return login(
                switch (role) {
                    case ADMIN -> ADMIN;
                    case SUPPORT -> SUPPORT;
                    case AUDITOR -> AUDITOR;
                    default -> throw new IllegalArgumentException("only staff sign in: " + role);
                });
    }

    /** Any call; {@code body} is serialised as JSON when not null. */
    public Response call(String method, String path, @Nullable String token, @Nullable Object body) {
        RequestBody requestBody = null;
        if (body != null) {
            try {
                requestBody = RequestBody.create(mapper.writeValueAsBytes(body), JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            requestBody = RequestBody.create(new byte[0], JSON);
        }
        var builder = new Request.Builder().url(baseUrl + path).method(method, requestBody);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return execute(builder.build());
    }

    /** The status a call answers with (its body read and dropped). */
    public int status(String method, String path, @Nullable String token, @Nullable Object body) {
        try (Response r = call(method, path, token, body)) {
            return r.code();
        }
    }

    /** A call with a JSON body given as text (to send exactly that, valid or not) and extra headers such as If-Match. */
    public Response send(String method, String path, String token, String json, Map<String, String> headers) {
        var builder = new Request.Builder()
                .url(baseUrl + path)
                .header("Authorization", "Bearer " + token)
                .method(method, RequestBody.create(json, JSON));
        headers.forEach(builder::header);
        return execute(builder.build());
    }

    /**
     * Opens the live event stream for {@code token}, resuming after {@code lastEventId} when given.
     * Each stream gets its own dispatcher: OkHttp runs at most five calls per host on one.
     */
    public okhttp3.sse.EventSource events(
            String token, @Nullable String lastEventId, okhttp3.sse.EventSourceListener listener) {
        var request = new Request.Builder().url(baseUrl + "/api/v1/events").header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        var client = http.newBuilder()
                .dispatcher(new okhttp3.Dispatcher())
                .readTimeout(Duration.ofSeconds(60))
                .build();
        return okhttp3.sse.EventSources.createFactory(client).newEventSource(request.build(), listener);
    }

    public Response execute(Request request) {
        try {
            return http.newCall(request).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state of the newest alert of {@code rule} ({@code firing}, {@code resolved}…), or {@code none}. */
    public String alertState(String rule) {
        try (Response r = call("GET", "/api/v1/alerts", tokenFor(Role.ADMIN), null)) {
            for (JsonNode a : json(r).get("items")) {
                if (a.get("ruleName").asText().equals(rule)) {
                    return a.get("state").asText();
                }
            }
        }
        return "none";
    }

    public JsonNode json(Response response) {
        try {
            return mapper.readTree(response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
