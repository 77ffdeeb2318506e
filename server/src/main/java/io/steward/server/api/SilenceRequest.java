package io.steward.server.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A new silence: which rule, why, and until when (all three required). */
public record SilenceRequest(
        @Nullable String matcher,
        @Nullable String reason,
        @Nullable Instant endsAt) {}
