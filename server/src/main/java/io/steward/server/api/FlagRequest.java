package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** A flag as set by {@code PUT /api/v1/flags/{key}}; absent fields keep their value (or the default for a new flag). */
public record FlagRequest(
        @Nullable Boolean enabled,
        @Nullable Integer percentage,
        @Nullable String description,
        FlagView.@Nullable Rules rules) {}
