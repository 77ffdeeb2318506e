package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A data-subject request. {@code deadline} is when it must be answered ({@code extendedUntil} if
 * extended, else {@code dueAt}); {@code overdue} is true for an open request past it.
 * {@code subjectName} and {@code subjectEmail} are the subject's now (anonymised after an erasure).
 */
public record GdprRequestView(
        UUID id,
        UUID userId,
        String type,
        String status,
        Instant receivedAt,
        Instant dueAt,
        @Nullable Instant extendedUntil,
        @Nullable String extensionReason,
        Instant deadline,
        boolean overdue,
        @Nullable UUID verifiedBy,
        @Nullable Instant verifiedAt,
        @Nullable UUID approvedBy,
        @Nullable Instant approvedAt,
        @Nullable UUID completedBy,
        @Nullable Instant completedAt,
        @Nullable String rejectedReason,
        @Nullable String note,
        @Nullable String evidenceSha256,
        List<Recipient> recipients,
        long version,
        @Nullable String subjectName,
        @Nullable String subjectEmail) {

    /** A recipient of the subject's data to tell about the change (GDPR Art. 19). */
    public record Recipient(
            String name,
            @Nullable Instant notifiedAt,
            @Nullable UUID notifiedBy) {}
}
