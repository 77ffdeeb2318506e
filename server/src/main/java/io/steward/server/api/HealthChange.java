package io.steward.server.api;

import java.time.Instant;
import java.util.Map;

/** A recorded change of one check's status ({@code check} is {@code overall} for the server as a whole). */
public record HealthChange(
        long id, Instant at, String check, String status, long latencyMs, Map<String, Object> details) {}
