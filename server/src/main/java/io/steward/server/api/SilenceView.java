package io.steward.server.api;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A silence of the alerts of one rule ({@code matcher} is the rule's name); {@code state} is {@code active} or {@code expired}. */
public record SilenceView(
        UUID id,
        String matcher,
        String reason,
        UUID createdBy,
        Instant startsAt,
        Instant endsAt,
        Instant createdAt,
        @Nullable Instant endedAt,
        @Nullable UUID endedBy,
        String state) {}
