package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A data-subject request. {@code deadline} is when it must be answered ({@code extendedUntil} if
 * extended, else {@code dueAt}); {@code overdue} is true for an open request past it.
 * {@code subjectName} and {@code subjectEmail} are the subject's now (anonymised after an erasure).
 * {@code actions} are what the staff member reading it may do with it now, by the server's
 * lifecycle rules (a client enables its buttons from them and keeps no rules of its own).
 */
public record GdprRequestView(
        UUID id,
        UUID userId,
        GdprType type,
        GdprStatus status,
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
        @Nullable String subjectEmail,
        List<GdprAction> actions) {

    /** A recipient of the subject's data to tell about the change (GDPR Art. 19). */
    public record Recipient(
            String name,
            @Nullable Instant notifiedAt,
            @Nullable UUID notifiedBy) {}
}
