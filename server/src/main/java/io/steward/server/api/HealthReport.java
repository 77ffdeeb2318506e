package io.steward.server.api;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the server knows about its health: overall {@code UP}, {@code DEGRADED} (something
 * it can live without is failing) or {@code DOWN} (its database is not usable), each check, and
 * the state of each circuit breaker guarding an external dependency.
 */
public record HealthReport(
        String status, Instant timestamp, Map<String, Check> checks, Map<String, Breaker> circuitBreakers) {

    /** One check: its status, how long it took, what it saw; {@code essential} checks can make the server DOWN. */
    public record Check(String status, long latencyMs, boolean essential, Map<String, Object> details) {}

    /**
     * A breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), its failure rate in
     * percent over its window (-1 until enough calls were made), and its call counts.
     */
    public record Breaker(
            String state, float failureRate, int bufferedCalls, int failedCalls, long notPermittedCalls) {}
}
