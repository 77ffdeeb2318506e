package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** A rule as created or replaced; {@code enabled} defaults to true, {@code description} to empty. */
public record AlertRuleRequest(
        @Nullable String name,
        @Nullable String metric,
        @Nullable String op,
        @Nullable Double threshold,
        @Nullable Integer forSeconds,
        @Nullable String severity,
        @Nullable String description,
        @Nullable Boolean enabled) {}
