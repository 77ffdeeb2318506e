package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/**
 * Whether a flag is on for one user, and why: {@code disabled} (kill switch), {@code rule}
 * (allow-listed), {@code rollout} (bucket within the percentage) or {@code outside-rollout}.
 */
public record FlagEvaluation(
        String key,
        String userId,
        boolean enabled,
        String reason,
        @Nullable Integer bucket) {}
