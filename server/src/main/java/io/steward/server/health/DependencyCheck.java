package io.steward.server.health;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.steward.server.ServerConfig;
import io.steward.server.outbound.Guard;
import io.steward.server.outbound.OutboundHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the platform's own services, called over HTTP through its {@link Guard}: a 2xx or 3xx
 * answer within {@link #ATTEMPT_TIMEOUT} is up; anything else is a failure, retried with backoff;
 * while the breaker is open the service is not called at all. The URL's user-info is sent as Basic
 * credentials and its query as written; the details show it without either ({@link
 * io.steward.server.outbound.ServiceUrl}). Never essential: a dependency that
 * is down makes Steward {@code DEGRADED}, not {@code DOWN}.
 */
public final class DependencyCheck implements HealthCheck {
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final ServerConfig.Dependency dependency;
    private final Guard guard;
    private final HttpClient http;

    public DependencyCheck(ServerConfig.Dependency dependency, Guard guard, HttpClient http) {
        this.dependency = dependency;
        this.guard = guard;
        this.http = http;
    }

    @Override
    public String name() {
        return "dependency:" + dependency.name();
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public Duration timeout() {
        // every attempt may take its full timeout, plus the backoff between them
        return ATTEMPT_TIMEOUT.multipliedBy(3).plusSeconds(2);
    }

    @Override
    public Result run() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", dependency.url().shown());
        try {
            int status = guard.call(this::get);
            details.put("httpStatus", status);
            details.put("circuit", guard.state());
            return Result.up(details);
        } catch (CallNotPermittedException e) {
            details.put("circuit", guard.state());
            details.put("error", "not called: the circuit breaker is open after repeated failures");
            return Result.down(details);
        } catch (OutboundHttp.Failed e) {
            details.put("circuit", guard.state());
            details.put("error", dependency.url().scrub(e.getMessage()));
            return Result.down(details);
        } catch (RuntimeException e) {
            // not a failure of the service but of the call itself; its message may quote the URL
            details.put("circuit", guard.state());
            details.put("error", "the call failed: " + dependency.url().scrub(e.toString()));
            return Result.down(details);
        }
    }

    private int get() {
        var request = HttpRequest.newBuilder(dependency.url().target())
                .timeout(ATTEMPT_TIMEOUT)
                .header("User-Agent", "steward-health")
                .GET();
        dependency.url().authorization().ifPresent(value -> request.header("Authorization", value));
        return OutboundHttp.send(http, request.build(), 400);
    }
}
