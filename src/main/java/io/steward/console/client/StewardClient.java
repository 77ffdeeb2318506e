package io.steward.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.ErrorResponse;
import io.steward.server.api.FlagEvaluation;
import io.steward.server.api.FlagPreview;
import io.steward.server.api.FlagRequest;
import io.steward.server.api.FlagView;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.HealthReport;
import io.steward.server.api.HealthStatus;
import io.steward.server.api.LoginRequest;
import io.steward.server.api.LoginResponse;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.Page;
import io.steward.server.api.SeriesPoints;
import io.steward.server.api.SystemInfo;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The console's one way to talk to a Steward server: typed methods for the HTTP contract, JSON
 * through Jackson, the bearer token of the signed-in person. Every call has timeouts; reads are
 * retried (three attempts, exponential backoff with jitter) when the server is unreachable or
 * answers 503; all calls pass a circuit breaker so a server that is away is not hammered (after
 * half of the last ten calls failed it is left alone for {@link Settings#breakerWait()}, or until
 * the live stream finds it again). Errors come back as {@link ApiException} (the server answered
 * with its error shape) or {@link ServerUnreachable} (no usable answer).
 */
public final class StewardClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration SLOW_CALL = Duration.ofMinutes(15);

    /**
     * Timeouts and resilience settings.
     *
     * @param connectTimeout how long to wait for a connection
     * @param callTimeout how long one call may take in all
     * @param firstBackoff the wait before the first retry of a read; later waits double, ±50 %
     * @param breakerWait how long the breaker stays open before it lets trial calls through
     */
    public record Settings(Duration connectTimeout, Duration callTimeout, Duration firstBackoff, Duration breakerWait) {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(300), Duration.ofSeconds(10));
        }
    }

    private final URI baseUrl;
    private final Settings settings;
    private final OkHttpClient http;
    private final OkHttpClient streamHttp;
    private final OkHttpClient slowHttp;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final CircuitBreaker breaker;
    private final Retry retry;
    private volatile @Nullable String token;
    private volatile java.util.function.Consumer<String> onSessionExpired = why -> {};

    public StewardClient(URI baseUrl) {
        this(baseUrl, Settings.defaults());
    }

    public StewardClient(URI baseUrl, Settings settings) {
        this.baseUrl = baseUrl;
        this.settings = settings;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .callTimeout(settings.callTimeout())
                .build();
        // the live stream stays open for hours: its own dispatcher, so it never takes a slot
        // from the calls (OkHttp runs at most five at a time per host per dispatcher); a stream
        // silent for 45 s (heartbeats come every 15) is dead
        this.streamHttp = http.newBuilder()
                .dispatcher(new Dispatcher())
                .callTimeout(Duration.ZERO)
                .readTimeout(Duration.ofSeconds(45))
                .build();
        // restore tests and reports over a large database take minutes, not seconds
        this.slowHttp =
                http.newBuilder().callTimeout(SLOW_CALL).readTimeout(SLOW_CALL).build();
        this.breaker = CircuitBreaker.of(
                "steward-server",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(4)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(settings.breakerWait())
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .recordException(StewardClient::isOutage)
                        .build());
        this.retry = Retry.of(
                "steward-reads",
                RetryConfig.custom()
                        .maxAttempts(3)
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                settings.firstBackoff().toMillis(), 2.0, 0.5))
                        .retryOnException(StewardClient::isOutage)
                        .build());
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof ServerUnreachable || (failure instanceof ApiException api && api.transientFailure());
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Called (on the calling thread) when the server says the token is no longer good, with the
     * reason it gave in words ("your role was changed"), or "" when it gave none.
     */
    public void onSessionExpired(java.util.function.Consumer<String> action) {
        this.onSessionExpired = action;
    }

    /** Whether a signed-in token is held. */
    public boolean signedIn() {
        return token != null;
    }

    /** The breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
    public String breakerState() {
        return breaker.getState().name();
    }

    /** The server is reachable again (the live stream reconnected): stop refusing calls at once. */
    public void serverIsBack() {
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.transitionToClosedState();
        }
    }

    // --- unauthenticated ---

    /**
     * Asks whether the server is ready. A server that answers 503 is reachable but not ready: that
     * is a status, not an error. Not retried: the answer is wanted now.
     *
     * @throws ServerUnreachable when nothing usable answers, including something that is not a Steward server
     */
    public HealthStatus readiness() {
        Request request = new Request.Builder().url(url("/health/ready")).build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() != 200 && response.code() != 503) {
                throw notSteward("answered " + response.code() + " to /health/ready");
            }
            HealthStatus status = mapper.readValue(response.body().byteStream(), HealthStatus.class);
            if (status.status() == null || status.checks() == null) {
                throw notSteward("does not answer like a Steward server");
            }
            return status;
        } catch (JsonProcessingException e) {
            throw notSteward("does not answer with Steward's JSON");
        } catch (IOException e) {
            throw new ServerUnreachable(explain(e));
        }
    }

    private ServerUnreachable notSteward(String what) {
        return new ServerUnreachable(
                baseUrl + " " + what + ". Is this the address of a Steward server (for example http://host:8080)?");
    }

    /** Signs in and keeps the token for later calls. */
    public LoginResponse login(String email, String password) {
        LoginResponse response = guarded(
                false,
                () -> call(
                        new Request.Builder()
                                .url(url("/api/v1/auth/login"))
                                .post(json(new LoginRequest(email, password))),
                        type(LoginResponse.class)));
        token = response.token();
        return response;
    }

    /** Revokes the token on the server (best effort) and forgets it. */
    public void logout() {
        if (token == null) {
            return;
        }
        try {
            call(authorized("/api/v1/auth/logout").post(RequestBody.create(new byte[0])), null);
        } finally {
            token = null;
        }
    }

    /** Forgets the token without telling the server (it has expired there already). */
    public void forgetToken() {
        token = null;
    }

    // --- reads ---

    public UserView me() {
        return get("/api/v1/auth/me", type(UserView.class));
    }

    public HealthReport health() {
        return get("/api/v1/health", type(HealthReport.class));
    }

    public SystemInfo system() {
        return get("/api/v1/system", type(SystemInfo.class));
    }

    /** The series the server samples each second. */
    public List<MetricSeries> metricSeries() {
        return this.<Catalog>get("/api/v1/metrics", type(Catalog.class)).series();
    }

    /** One series over {@code 5m}, {@code 1h} or {@code 24h}. */
    public SeriesPoints series(String name, String window) {
        return get(
                url("/api/v1/metrics/series")
                        .newBuilder()
                        .addQueryParameter("name", name)
                        .addQueryParameter("window", window)
                        .build(),
                type(SeriesPoints.class));
    }

    /** Alerts, newest first; {@code state} is {@code pending}, {@code firing}, {@code resolved}, {@code active} or empty for all. */
    public Page<AlertView> alerts(String state, int limit) {
        HttpUrl.Builder url = url("/api/v1/alerts").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (!state.isEmpty()) {
            url.addQueryParameter("state", state);
        }
        return get(url.build(), pageOf(AlertView.class));
    }

    public List<AlertRuleView> alertRules() {
        return this.<Page<AlertRuleView>>get("/api/v1/alert-rules", pageOf(AlertRuleView.class))
                .items();
    }

    // --- changes (never retried: the first attempt may have been applied) ---

    public AlertRuleView createAlertRule(AlertRuleRequest rule) {
        return guarded(
                false, () -> call(authorized("/api/v1/alert-rules").post(json(rule)), type(AlertRuleView.class)));
    }

    /** Replaces a rule; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public AlertRuleView updateAlertRule(UUID id, long version, AlertRuleRequest rule) {
        return guarded(
                false,
                () -> call(
                        authorized("/api/v1/alert-rules/" + id)
                                .header("If-Match", "\"" + version + "\"")
                                .put(json(rule)),
                        type(AlertRuleView.class)));
    }

    public void deleteAlertRule(UUID id) {
        guarded(false, () -> call(authorized("/api/v1/alert-rules/" + id).delete(), null));
    }

    // --- backups ---

    /** Backups, newest first. */
    public Page<BackupView> backups(int limit) {
        return get(
                url("/api/v1/backups")
                        .newBuilder()
                        .addQueryParameter("limit", Integer.toString(limit))
                        .build(),
                pageOf(BackupView.class));
    }

    /** The restore drill: its schedule, the last drill, and how long no backup has been proven. */
    public io.steward.server.api.RestoreDrillStatus backupDrill() {
        return get("/api/v1/backups/drill", type(io.steward.server.api.RestoreDrillStatus.class));
    }

    /** Starts a backup; it is written in the background (its status says when it is done). */
    public BackupView startBackup() {
        return guarded(false, () -> call(authorized("/api/v1/backups").post(json(Map.of())), type(BackupView.class)));
    }

    /**
     * Restores a backup into a scratch database and compares it; answers when done (minutes for a
     * large one). Cancelling stops waiting: the server finishes the check and records its verdict.
     */
    public BackupVerification verifyBackup(UUID id, Cancellation cancellation) {
        return guarded(
                false,
                () -> slowCall(
                        authorized("/api/v1/backups/" + id + "/verify").post(json(Map.of())),
                        type(BackupVerification.class),
                        cancellation));
    }

    // --- users ---

    /**
     * One page of users, newest first: {@code q} a fragment of name or e-mail, {@code role} and
     * {@code status} (active, inactive, deleted) filters; empty strings mean no filter.
     */
    public Page<UserView> users(
            String q, String role, String status, @Nullable String cursor, int limit, Cancellation cancellation) {
        HttpUrl.Builder url = url("/api/v1/users").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (!q.isBlank()) {
            url.addQueryParameter("q", q.strip());
        }
        if (!role.isEmpty()) {
            url.addQueryParameter("role", role);
        }
        if (!status.isEmpty()) {
            url.addQueryParameter("status", status);
        }
        if (cursor != null) {
            url.addQueryParameter("cursor", cursor);
        }
        return guarded(
                true, () -> cancellable(http, authorized(url.build()).get(), pageOf(UserView.class), cancellation));
    }

    /** Creates an account; staff roles need a password that meets the policy. */
    public UserDetail createUser(io.steward.server.api.CreateUserRequest account) {
        return guarded(false, () -> call(authorized("/api/v1/users").post(json(account)), type(UserDetail.class)));
    }

    /** Changes a user; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public UserDetail updateUser(UUID id, long version, UpdateUserRequest change) {
        return guarded(
                false,
                () -> call(
                        authorized("/api/v1/users/" + id)
                                .header("If-Match", "\"" + version + "\"")
                                .patch(json(change)),
                        type(UserDetail.class)));
    }

    /** Account names locked out of signing in from an address, and names attacked from many (admins). */
    public io.steward.server.api.SignInLockouts signInLockouts() {
        return get("/api/v1/auth/lockouts", type(io.steward.server.api.SignInLockouts.class));
    }

    /** Ends the lockout of {@code email} from {@code ip} before its time (audited). */
    public void unlockSignIn(String email, String ip) {
        guarded(
                false,
                () -> call(
                        authorized("/api/v1/auth/lockouts/unlock")
                                .post(json(new io.steward.server.api.UnlockRequest(email, ip))),
                        null));
    }

    /** A user with contact details and counts of related records. */
    public UserDetail user(UUID id) {
        return get("/api/v1/users/" + id, type(UserDetail.class));
    }

    /** The latest {@code limit} audit entries about a user, newest first. */
    public Page<AuditEntry> userHistory(UUID id, int limit) {
        return get(
                url("/api/v1/users/" + id + "/history")
                        .newBuilder()
                        .addQueryParameter("limit", Integer.toString(limit))
                        .build(),
                pageOf(AuditEntry.class));
    }

    // --- GDPR requests ---

    /** Requests, newest first; a null {@code status}, {@code type} or {@code userId} means any. */
    public Page<GdprRequestView> gdprRequests(
            @Nullable GdprStatus status, @Nullable GdprType type, boolean overdue, @Nullable UUID userId, int limit) {
        HttpUrl.Builder url =
                url("/api/v1/gdpr/requests").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (userId != null) {
            url.addQueryParameter("userId", userId.toString());
        }
        if (status != null) {
            url.addQueryParameter("status", status.wireName());
        }
        if (type != null) {
            url.addQueryParameter("type", type.wireName());
        }
        if (overdue) {
            url.addQueryParameter("overdue", "true");
        }
        return get(url.build(), pageOf(GdprRequestView.class));
    }

    /** A request's history from the audit trail, oldest first. */
    public List<AuditEntry> gdprTimeline(UUID id) {
        Page<AuditEntry> page = get("/api/v1/gdpr/requests/" + id + "/timeline", pageOf(AuditEntry.class));
        return page.items();
    }

    /** Records a request received from the subject {@code userId}. */
    public GdprRequestView openGdprRequest(UUID userId, GdprType type, @Nullable String note) {
        return guarded(
                false,
                () -> call(
                        authorized("/api/v1/gdpr/requests")
                                .post(json(new io.steward.server.api.GdprCommands.Open(
                                        userId.toString(), type.wireName(), note))),
                        type(GdprRequestView.class)));
    }

    /** Records that {@code recipient} of the subject's data was told of the change (GDPR Art. 19). */
    public GdprRequestView recipientNotified(UUID id, String recipient) {
        return guarded(
                false,
                () -> call(
                        authorized(url("/api/v1/gdpr/requests/" + id + "/recipients/")
                                        .newBuilder()
                                        .addPathSegment(recipient)
                                        .addPathSegment("notified")
                                        .build())
                                .post(json(Map.of())),
                        type(GdprRequestView.class)));
    }

    /**
     * One step of a request's workflow ({@link GdprAction#VERIFY} to {@link GdprAction#COMPLETE})
     * with its body (note, reason, months).
     */
    public GdprRequestView gdprStep(UUID id, GdprAction step, Object body) {
        return guarded(
                false,
                () -> call(
                        slowHttp,
                        authorized("/api/v1/gdpr/requests/" + id + "/" + step.wireName())
                                .post(json(body)),
                        type(GdprRequestView.class)));
    }

    // --- feature flags ---

    public List<FlagView> flags() {
        return this.<Page<FlagView>>get("/api/v1/flags", pageOf(FlagView.class)).items();
    }

    /** Changes a flag; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public FlagView updateFlag(String key, long version, FlagRequest change) {
        return guarded(
                false,
                () -> call(
                        authorized("/api/v1/flags/" + key)
                                .header("If-Match", "\"" + version + "\"")
                                .put(json(change)),
                        type(FlagView.class)));
    }

    /** Whether the flag is on for one user, and why. */
    public FlagEvaluation evaluateFlag(String key, String userId) {
        return get(
                url("/api/v1/flags/" + key + "/evaluate")
                        .newBuilder()
                        .addQueryParameter("userId", userId)
                        .build(),
                type(FlagEvaluation.class));
    }

    /** What setting the flag to {@code percentage} would change for the current users. */
    public FlagPreview previewFlag(String key, int percentage) {
        return get(
                url("/api/v1/flags/" + key + "/preview")
                        .newBuilder()
                        .addQueryParameter("percentage", Integer.toString(percentage))
                        .build(),
                type(FlagPreview.class));
    }

    // --- audit trail ---

    /** What to list of the trail: any of them may be null (no filter). */
    public record AuditQuery(
            @Nullable String action,
            @Nullable UUID actorId,
            @Nullable UUID subjectId,
            java.time.@Nullable Instant from,
            java.time.@Nullable Instant to) {}

    /** One page of the trail, newest first; {@code cursor} from the previous page, or null. */
    public Page<AuditEntry> audit(AuditQuery query, @Nullable String cursor, int limit) {
        HttpUrl.Builder url = url("/api/v1/audit").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (query.action() != null) {
            url.addQueryParameter("type", query.action());
        }
        if (query.actorId() != null) {
            url.addQueryParameter("actorId", query.actorId().toString());
        }
        if (query.subjectId() != null) {
            url.addQueryParameter("subjectId", query.subjectId().toString());
        }
        if (query.from() != null) {
            url.addQueryParameter("from", query.from().toString());
        }
        if (query.to() != null) {
            url.addQueryParameter("to", query.to().toString());
        }
        if (cursor != null) {
            url.addQueryParameter("cursor", cursor);
        }
        return get(url.build(), pageOf(AuditEntry.class));
    }

    /** Recomputes the whole chain on the server (seconds for a million entries). */
    public AuditVerification verifyAudit(Cancellation cancellation) {
        return guarded(
                true,
                () -> slowCall(authorized("/api/v1/audit/verify").get(), type(AuditVerification.class), cancellation));
    }

    // --- compliance reports ---

    /** A report's canonical JSON form, for showing its figures. */
    public ComplianceReport report(String type, LocalDate from, LocalDate to, Cancellation cancellation) {
        return guarded(
                true,
                () -> slowCall(
                        authorized(reportUrl(type, from, to, "json")).get(),
                        type(ComplianceReport.class),
                        cancellation));
    }

    /**
     * Saves a report in {@code format} (json, csv, pdf) to {@code target}: written beside it first
     * and moved into place once complete. Returns its size in bytes.
     */
    public long saveReport(
            String type,
            LocalDate from,
            LocalDate to,
            String format,
            Path target,
            Cancellation cancellation,
            LongConsumer received) {
        return saveTo(reportUrl(type, from, to, format), target, cancellation, received);
    }

    /**
     * Saves the auditor's evidence pack for the period (a zip: the three reports, the signed
     * checkpoints, restore tests, migrations, the public key, a signed manifest) to {@code target};
     * returns its size.
     */
    public long saveEvidencePack(
            LocalDate from, LocalDate to, Path target, Cancellation cancellation, LongConsumer received) {
        HttpUrl url = url("/api/v1/reports/evidence-pack")
                .newBuilder()
                .addQueryParameter("from", from.toString())
                .addQueryParameter("to", to.toString())
                .build();
        return saveTo(url, target, cancellation, received);
    }

    /** The id of the key the server signs audit checkpoints and evidence packs with. */
    public String auditKeyId() {
        Map<String, String> key = get(
                "/api/v1/audit/public-key",
                mapper.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        return String.valueOf(key.get("keyId"));
    }

    /** Saves everything the server holds about a user (JSON, GDPR Art. 15/20) to {@code target}; returns its size. */
    public long saveUserExport(UUID id, Path target, Cancellation cancellation, LongConsumer received) {
        return saveTo(url("/api/v1/users/" + id + "/export"), target, cancellation, received);
    }

    /**
     * Downloads to a file beside {@code target} and moves it into place once complete, telling
     * {@code received} the bytes so far as they arrive. Cancelled or failed, nothing is left.
     */
    private long saveTo(HttpUrl url, Path target, Cancellation cancellation, LongConsumer received) {
        return guarded(true, () -> {
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            Call call = slowHttp.newCall(authorized(url).get().build());
            cancellation.attach(call);
            try (Response response = call.execute()) {
                if (!response.isSuccessful()) {
                    throw failure(response);
                }
                try (InputStream in = response.body().byteStream();
                        OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        total += n;
                        received.accept(total);
                    }
                }
                // received whole: it is saved, even if cancel was pressed as the last bytes came
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                return Files.size(target);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // the partial file is named as such; nothing else to do
                }
                cancellation.check();
                throw new ServerUnreachable(explain(e));
            }
        });
    }

    private HttpUrl reportUrl(String type, LocalDate from, LocalDate to, String format) {
        return url("/api/v1/reports/" + type)
                .newBuilder()
                .addQueryParameter("from", from.toString())
                .addQueryParameter("to", to.toString())
                .addQueryParameter("format", format)
                .build();
    }

    // --- live events ---

    /** Opens the live event stream; it reconnects by itself until closed. */
    public EventStream events(EventStream.Listener listener) {
        var stream = new EventStream(streamHttp, url("/api/v1/events"), () -> token, mapper, listener);
        stream.start();
        return stream;
    }

    // --- plumbing ---

    /** {@code GET /api/v1/metrics}. */
    record Catalog(List<MetricSeries> series) {}

    private <T> T get(String path, JavaType type) {
        return get(url(path), type);
    }

    private <T> T get(HttpUrl url, JavaType type) {
        return guarded(true, () -> call(authorized(url).get(), type));
    }

    private JavaType type(Class<?> type) {
        return mapper.constructType(type);
    }

    private static JavaType pageOf(Class<?> item) {
        return TypeFactory.defaultInstance().constructParametricType(Page.class, item);
    }

    private <T> T guarded(boolean idempotent, Supplier<T> call) {
        Supplier<T> attempt = CircuitBreaker.decorateSupplier(breaker, call);
        if (idempotent) {
            attempt = Retry.decorateSupplier(retry, attempt);
        }
        try {
            return attempt.get();
        } catch (CallNotPermittedException e) {
            throw new ServerUnreachable(
                    "The server at " + baseUrl
                            + " failed repeatedly, so the console is leaving it alone for a few seconds; it will try again by itself.");
        }
    }

    private HttpUrl url(String path) {
        return HttpUrl.get(baseUrl.resolve(path).toString());
    }

    private Request.Builder authorized(String path) {
        return authorized(url(path));
    }

    private Request.Builder authorized(HttpUrl url) {
        var builder = new Request.Builder().url(url).header("Accept", "application/json");
        String current = token;
        if (current != null) {
            builder.header("Authorization", "Bearer " + current);
        }
        return builder;
    }

    private RequestBody json(Object body) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(body), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T call(Request.Builder request, @Nullable JavaType type) {
        return call(http, request, type);
    }

    /** A call that may take minutes, and that the person may cancel. */
    private <T> T slowCall(Request.Builder request, JavaType type, Cancellation cancellation) {
        return cancellable(slowHttp, request, type, cancellation);
    }

    /** A call that ends as {@link Cancellation.Cancelled} as soon as {@code cancellation} is cancelled. */
    private <T> T cancellable(OkHttpClient client, Request.Builder request, JavaType type, Cancellation cancellation) {
        Call call = client.newCall(request.build());
        cancellation.attach(call);
        try {
            return call(call, type);
        } catch (ServerUnreachable e) {
            cancellation.check();
            throw e;
        }
    }

    private <T> T call(OkHttpClient client, Request.Builder request, @Nullable JavaType type) {
        return call(client.newCall(request.build()), type);
    }

    @SuppressWarnings("unchecked")
    private <T> T call(Call call, @Nullable JavaType type) {
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw failure(response);
            }
            if (type == null || response.code() == 204) {
                return (T) Map.of();
            }
            return mapper.readValue(response.body().byteStream(), type);
        } catch (JsonProcessingException e) {
            throw notSteward("answered with something that is not Steward's JSON");
        } catch (IOException e) {
            throw new ServerUnreachable(explain(e));
        }
    }

    private RuntimeException failure(Response response) throws IOException {
        ErrorResponse body;
        try {
            body = mapper.readValue(response.body().byteStream(), ErrorResponse.class);
        } catch (JsonProcessingException e) {
            return notSteward("answered " + response.code() + " without Steward's error shape");
        }
        if (body == null || body.error() == null) {
            return notSteward("answered " + response.code() + " without Steward's error shape");
        }
        Duration retryAfter = null;
        String header = response.header("Retry-After");
        if (header != null && header.matches("\\d{1,9}")) {
            retryAfter = Duration.ofSeconds(Long.parseLong(header));
        }
        var error = new ApiException(
                response.code(),
                body.error().code(),
                body.error().message(),
                body.error().field(),
                body.error().requestId() == null ? "" : body.error().requestId(),
                retryAfter);
        if (error.sessionExpired() && token != null) {
            token = null;
            onSessionExpired.accept(error.sessionEndedBecause());
        }
        return error;
    }

    /** Turns a network failure into a sentence for the person at the console. */
    String explain(IOException e) {
        return switch (e) {
            case ConnectException c ->
                "Nothing answers at " + baseUrl + ". Check the address and that the server is running.";
            case UnknownHostException u -> "The name " + baseUrl.getHost() + " cannot be found. Check the address.";
            case SSLException s ->
                "A secure (TLS) connection to " + baseUrl + " failed: "
                        + String.valueOf(s.getMessage()).replaceFirst("\\.$", "")
                        + ". Check that the address starts with https only if the server uses TLS, and that its certificate is trusted.";
            case InterruptedIOException t -> baseUrl + " did not answer in time.";
            default -> "The connection to " + baseUrl + " failed: " + e.getMessage();
        };
    }

    /** Stops the live streams' and calls' threads. */
    @Override
    public void close() {
        streamHttp.dispatcher().cancelAll();
        streamHttp.dispatcher().executorService().shutdown();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
