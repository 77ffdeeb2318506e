package io.steward.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.steward.server.api.Endpoint;
import io.steward.server.api.ErrorResponse;
import io.steward.server.api.HealthStatus;
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
import java.util.Map;
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
 * How the console talks to a Steward server over HTTP; the resource clients ({@link StewardApi})
 * describe the calls. JSON through Jackson, the bearer token of the signed-in person, timeouts on
 * every call; reads are retried (three attempts, exponential backoff with jitter) when the server is
 * unreachable or answers 503; all calls pass a circuit breaker so a server that is away is not
 * hammered (after half of the last ten calls failed it is left alone for {@link
 * Settings#breakerWait()}, or until the live stream finds it again). Errors come back as {@link
 * ApiException} (the server answered with its error shape) or {@link ServerUnreachable} (no usable
 * answer). Downloads are written beside their target and moved into place once whole.
 */
public final class HttpTransport implements Transport, LiveSource, AutoCloseable {
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

    public HttpTransport(URI baseUrl) {
        this(baseUrl, Settings.defaults());
    }

    public HttpTransport(URI baseUrl, Settings settings) {
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
                        .recordException(HttpTransport::isOutage)
                        .build());
        this.retry = Retry.of(
                "steward-reads",
                RetryConfig.custom()
                        .maxAttempts(3)
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                settings.firstBackoff().toMillis(), 2.0, 0.5))
                        .retryOnException(HttpTransport::isOutage)
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

    @Override
    public boolean signedIn() {
        return token != null;
    }

    /** The breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}. */
    public String breakerState() {
        return breaker.getState().name();
    }

    // --- unauthenticated ---

    /**
     * Asks whether the server is ready. A server that answers 503 is reachable but not ready: that
     * is a status, not an error. Not retried: the answer is wanted now.
     *
     * @throws ServerUnreachable when nothing usable answers, including something that is not a Steward server
     */
    public HealthStatus readiness() {
        Request request =
                new Request.Builder().url(url(Endpoint.HEALTH_READY.path())).build();
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

    // --- live events ---

    /** Opens the live event stream; it reconnects by itself until closed. */
    @Override
    public EventStream subscribe(EventStream.Listener listener) {
        var stream = new EventStream(streamHttp, url(Endpoint.EVENTS.path()), () -> token, mapper, listener);
        stream.start();
        return stream;
    }

    @Override
    public void reachedAgain() {
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.transitionToClosedState();
        }
    }

    // --- calls ---

    @Override
    public void useToken(@Nullable String token) {
        this.token = token;
    }

    @Override
    public <T> T send(ApiCall<T> call) {
        return guarded(call.endpoint().idempotent(), () -> {
            Call http = client(call).newCall(request(call).build());
            Cancellation cancellation = call.cancellation();
            if (cancellation == null) {
                return read(http, call.answer());
            }
            cancellation.attach(http);
            try {
                return read(http, call.answer());
            } catch (ServerUnreachable e) {
                cancellation.check();
                throw e;
            }
        });
    }

    @Override
    public long download(ApiCall<?> call, Path target, LongConsumer received) {
        return guarded(true, () -> {
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            Call http = slowHttp.newCall(request(call).build());
            Cancellation cancellation = call.cancellation();
            if (cancellation != null) {
                cancellation.attach(http);
            }
            try (Response response = http.execute()) {
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
                if (cancellation != null) {
                    cancellation.check();
                }
                throw new ServerUnreachable(explain(e));
            }
        });
    }

    private OkHttpClient client(ApiCall<?> call) {
        return call.isSlow() ? slowHttp : http;
    }

    private Request.Builder request(ApiCall<?> call) {
        HttpUrl.Builder url = url(call.path()).newBuilder();
        call.queryParameters().forEach(url::addQueryParameter);
        var builder = new Request.Builder().url(url.build()).header("Accept", "application/json");
        String current = token;
        if (current != null && !call.endpoint().permission().isPublic()) {
            builder.header("Authorization", "Bearer " + current);
        }
        if (call.version() != null) {
            builder.header("If-Match", "\"" + call.version() + "\"");
        }
        String method = call.endpoint().method();
        Object body = call.body();
        if (body != null) {
            builder.method(method, json(body));
        } else if (method.equals("GET") || method.equals("DELETE")) {
            builder.method(method, null);
        } else {
            builder.method(method, RequestBody.create(new byte[0]));
        }
        return builder;
    }

    // --- plumbing ---

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

    private RequestBody json(Object body) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(body), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private HttpUrl url(String path) {
        return HttpUrl.get(baseUrl.resolve(path).toString());
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Call call, @Nullable JavaType type) {
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
