package io.steward.server.api;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert rule: fires when {@code metric op threshold} has held for {@code forSeconds}.
 * {@code op} is one of {@code > >= < <= == !=}; severity {@code info}, {@code warning} or
 * {@code critical}.
 */
public record AlertRuleView(
        UUID id,
        String name,
        String metric,
        String op,
        double threshold,
        int forSeconds,
        String severity,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        long version) {}
