package io.steward.server.outbound;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.steward.server.api.HealthReport;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A circuit breaker and a retry around the calls to one outside service. The breaker opens when
 * at least half of the last {@link Settings#window} calls failed (once
 * {@link Settings#minimumCalls} were made), refuses calls while open, and after
 * {@link Settings#waitInOpen} lets a few trial calls through (half-open) to decide whether to
 * close again. Failed calls are retried with exponential backoff and jitter, but never while
 * the breaker is open: a service that is down is not hammered.
 */
public final class Guard {
    private final CircuitBreaker breaker;
    private final Retry retry;

    /** How a guard behaves; {@link #defaults()} suits services that answer in well under a second. */
    public record Settings(
            int window,
            int minimumCalls,
            float failureRatePercent,
            Duration waitInOpen,
            int attempts,
            Duration backoff) {
        public static Settings defaults() {
            return new Settings(10, 4, 50, Duration.ofSeconds(30), 3, Duration.ofMillis(200));
        }

        public Settings withWaitInOpen(Duration wait) {
            return new Settings(window, minimumCalls, failureRatePercent, wait, attempts, backoff);
        }
    }

    public Guard(String name, Settings settings) {
        this.breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(settings.window())
                        .minimumNumberOfCalls(settings.minimumCalls())
                        .failureRateThreshold(settings.failureRatePercent())
                        .waitDurationInOpenState(settings.waitInOpen())
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build());
        this.retry = Retry.of(
                name,
                RetryConfig.custom()
                        .maxAttempts(settings.attempts())
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.backoff(), 2.0, 0.5))
                        .ignoreExceptions(CallNotPermittedException.class)
                        .build());
    }

    /**
     * Runs {@code call} through the breaker, retrying failures.
     *
     * @throws CallNotPermittedException when the breaker is open
     */
    public <T> T call(Supplier<T> call) {
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call))
                .get();
    }

    public String name() {
        return breaker.getName();
    }

    public String state() {
        return breaker.getState().name();
    }

    /** The breaker as {@code /api/v1/health} shows it. */
    public HealthReport.Breaker report() {
        return report(breaker);
    }

    /** Any breaker as {@code /api/v1/health} shows it. */
    public static HealthReport.Breaker report(CircuitBreaker breaker) {
        var m = breaker.getMetrics();
        return new HealthReport.Breaker(
                breaker.getState().name(),
                m.getFailureRate(),
                m.getNumberOfBufferedCalls(),
                m.getNumberOfFailedCalls(),
                m.getNumberOfNotPermittedCalls());
    }
}
