package io.steward.server.api;

import java.time.Instant;
import java.util.Map;

/** Readiness and liveness answers: {@code status} is {@code UP} or {@code DOWN}. */
public record HealthStatus(String status, Instant timestamp, Map<String, Check> checks) {

    /** One check with how long it took. */
    public record Check(String status, long latencyMs, Map<String, Object> details) {}
}
