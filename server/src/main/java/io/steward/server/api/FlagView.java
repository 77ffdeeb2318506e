package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A feature flag. {@code enabled=false} is the kill switch: off for everyone. Otherwise on for
 * the users in {@code rules.userIds}, and for {@code percentage} % of all others.
 */
public record FlagView(
        String key,
        boolean enabled,
        int percentage,
        String description,
        Rules rules,
        Instant createdAt,
        Instant updatedAt,
        java.util.@Nullable UUID updatedBy,
        long version) {

    /** Users a flag is on for (while enabled), whatever the percentage. */
    public record Rules(List<String> userIds) {
        public static final Rules NONE = new Rules(List.of());
    }
}
