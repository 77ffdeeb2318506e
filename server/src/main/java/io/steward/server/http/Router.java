package io.steward.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.steward.server.access.Principal;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Permission;
import io.steward.server.error.ServiceException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The server's one entry point for HTTP. For every request it assigns the request id (echoed
 * from {@code X-Request-Id} when sane), sets the security headers, finds the route in the
 * table, authenticates and authorizes per {@link Endpoint} before any handler runs, calls
 * the handler, maps any failure through {@link ErrorMapper}, and writes one access-log line.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.steward.server.access");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    public static final String REQUEST_ID = "X-Request-Id";
    /** Which instance answered, when several serve behind a load balancer. */
    public static final String INSTANCE = "X-Steward-Instance";

    private final ObjectMapper mapper;
    private final ErrorMapper errors;
    private final Authenticator authenticator;
    private final RequestObserver observer;
    private final byte @Nullable [] scrapeTokenHash;
    private final java.util.function.Supplier<String> instance;
    private final TrustedProxies proxies;
    private final Downloads downloads;
    private final Map<Endpoint, Handler> bound = new EnumMap<>(Endpoint.class);

    private record Match(Endpoint route, @Nullable Handler handler, Map<String, String> params) {}

    /**
     * @param observer told about every request (metrics)
     * @param scrapeToken a token that, besides any staff token, may read {@code /metrics}: for a
     *     Prometheus server that should not hold a staff account
     * @param instance this instance's name, sent with every answer
     * @param proxies the load balancers whose {@code X-Forwarded-For} names the client
     * @param watchdog cuts off downloads and streams whose client stopped reading
     */
    public Router(
            ObjectMapper mapper,
            Authenticator authenticator,
            RequestObserver observer,
            Optional<String> scrapeToken,
            java.util.function.Supplier<String> instance,
            TrustedProxies proxies,
            WriteWatchdog watchdog) {
        this.downloads = new Downloads(watchdog);
        this.instance = instance;
        this.proxies = proxies;
        this.mapper = mapper;
        this.errors = new ErrorMapper(mapper);
        this.authenticator = authenticator;
        this.observer = observer;
        this.scrapeTokenHash = scrapeToken.map(Router::sha256).orElse(null);
    }

    /**
     * Binds {@code handler} to an endpoint.
     *
     * @throws IllegalArgumentException if the endpoint is bound twice
     */
    public Router handle(Endpoint endpoint, Handler handler) {
        if (bound.putIfAbsent(endpoint, handler) != null) {
            throw new IllegalArgumentException(endpoint + " is bound twice");
        }
        return this;
    }

    /** The endpoints that have no handler yet. */
    public List<Endpoint> unbound() {
        return Arrays.stream(Endpoint.values())
                .filter(endpoint -> !bound.containsKey(endpoint))
                .toList();
    }

    /** Installs the router as the whole of Helidon's routing. */
    public void install(HttpRouting.Builder routing) {
        routing.any(this::dispatch);
        routing.error(Throwable.class, (req, res, failure) -> errors.write(res, failure, requestIdOf(req)));
    }

    /** Answers the framework's own errors (bad request line, entity too large) in the contract's shape. */
    public DirectHandler directHandler() {
        return (request, eventType, status, headers, message) -> {
            String requestId = request.headers()
                    .first(HeaderNames.create(REQUEST_ID))
                    .filter(id -> SANE_REQUEST_ID.matcher(id).matches())
                    .orElseGet(() -> UUID.randomUUID().toString());
            var code = ErrorMapper.codeFor(status.code());
            var body = io.steward.server.api.ErrorResponse.of(code, ErrorMapper.messageFor(code), null, requestId);
            LOG.debug("request refused by the HTTP layer: {} {}", status.code(), eventType);
            var builder = DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.create(REQUEST_ID), requestId)
                    .entity(errors.bytes(body))
                    .keepAlive(false);
            securityHeaders().forEach((name, value) -> builder.header(HeaderNames.create(name), value));
            return builder.build();
        };
    }

    private void dispatch(ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        String requestId = req.headers()
                .first(HeaderNames.create(REQUEST_ID))
                .filter(id -> SANE_REQUEST_ID.matcher(id).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        req.context().register("steward.requestId", requestId);
        MDC.put("requestId", requestId);
        res.header(REQUEST_ID, requestId);
        res.header(INSTANCE, instance.get());
        securityHeaders().forEach(res::header);
        String method = req.prologue().method().text();
        String path = req.path().path();
        String template = "(unmatched)";
        observer.started();
        try {
            Match match = match(method, path);
            template = match.route().template();
            Principal principal = authorize(match.route(), req);
            if (principal != null) {
                MDC.put("userId", principal.userId().toString());
            }
            if (match.handler() == null) {
                throw new ServiceException.NotFound("this part of the API is not available on this server yet");
            }
            match.handler()
                    .handle(new Exchange(req, res, mapper, requestId, match.params(), principal, proxies, downloads));
        } catch (Throwable failure) {
            errors.write(res, failure, requestId);
        } finally {
            long nanos = System.nanoTime() - started;
            int status = res.status().code();
            observer.finished(method, template, status, nanos);
            long micros = nanos / 1_000;
            ACCESS.info(
                    "{} {} {} {}ms",
                    method,
                    template,
                    status,
                    String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0));
            MDC.remove("userId");
            MDC.remove("requestId");
        }
    }

    private @Nullable Principal authorize(Endpoint route, ServerRequest req) {
        if (route.permission().isPublic()) {
            return null;
        }
        String token = bearerToken(req)
                .orElseThrow(
                        () -> new ServiceException.Unauthenticated("this call needs a bearer token; sign in first"));
        if (route.permission() == Permission.METRICS_READ
                && scrapeTokenHash != null
                && java.security.MessageDigest.isEqual(scrapeTokenHash, sha256(token))) {
            return null;
        }
        Principal principal = authenticator.authenticate(token);
        if (!route.permission().allows(principal.role())) {
            throw new ServiceException.Forbidden("the " + principal.role().wireName() + " role may not use "
                    + route.method() + " " + route.template());
        }
        return principal;
    }

    private static byte[] sha256(String value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Optional<String> bearerToken(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION).flatMap(value -> {
            String trimmed = value.trim();
            if (trimmed.length() > 7 && trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(trimmed.substring(7).trim());
            }
            return Optional.empty();
        });
    }

    /** Finds the most specific route for the path; 405 when only the method differs, else 404. */
    private Match match(String method, String path) {
        List<String> segments = Endpoint.split(path);
        List<Endpoint> candidates = Arrays.stream(Endpoint.values())
                .filter(r -> params(r.segments(), segments) != null)
                .sorted(Comparator.comparingInt(Endpoint::specificity).reversed())
                .toList();
        if (candidates.isEmpty()) {
            throw new ServiceException.NotFound("no such resource: " + truncate(path));
        }
        for (Endpoint route : candidates) {
            if (route.method().equals(method)) {
                // a more specific path with another method must not hide this one, and vice versa
                return new Match(
                        route, bound.get(route), java.util.Objects.requireNonNull(params(route.segments(), segments)));
            }
        }
        int best = candidates.getFirst().specificity();
        String allow = candidates.stream()
                .filter(r -> r.specificity() == best)
                .map(Endpoint::method)
                .collect(Collectors.toCollection(LinkedHashSet::new))
                .stream()
                .collect(Collectors.joining(", "));
        throw new ServiceException.MethodNotAllowed(method, allow);
    }

    private static @Nullable Map<String, String> params(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), path.get(i));
            } else if (!t.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    private static String requestIdOf(ServerRequest req) {
        return req.context()
                .get("steward.requestId", String.class)
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    /** Headers every answer carries. */
    static Map<String, String> securityHeaders() {
        return Map.of(
                "X-Content-Type-Options", "nosniff",
                "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer",
                "Cache-Control", "no-store",
                "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }

    private static String truncate(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "…" : path;
    }
}
