package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A silence of the alerts of one rule ({@code matcher} is the rule's name); {@code actions}: what the staff member reading it may do with it. */
public record SilenceView(
        UUID id,
        String matcher,
        String reason,
        UUID createdBy,
        String createdByName,
        Instant startsAt,
        Instant endsAt,
        Instant createdAt,
        @Nullable Instant endedAt,
        @Nullable UUID endedBy,
        SilenceState state,
        List<SilenceAction> actions) {

    public SilenceView withActions(List<SilenceAction> allowed) {
        return new SilenceView(
                id,
                matcher,
                reason,
                createdBy,
                createdByName,
                startsAt,
                endsAt,
                createdAt,
                endedAt,
                endedBy,
                state,
                List.copyOf(allowed));
    }
}
