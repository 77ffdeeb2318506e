package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * {@code waitingFor} is what an open request waits for next (null once answered).
 * {@code timeline} is the request's history from the audit trail, oldest first, sent with the
 * answer to a step (so that a screen needs nothing more) and left out elsewhere.
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
        @Nullable GdprWaitingFor waitingFor,
        List<GdprAction> actions,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<AuditEntry> timeline) {

    /** This view with the request's history attached. */
    public GdprRequestView withTimeline(List<AuditEntry> entries) {
        return new GdprRequestView(
                id,
                userId,
                type,
                status,
                receivedAt,
                dueAt,
                extendedUntil,
                extensionReason,
                deadline,
                overdue,
                verifiedBy,
                verifiedAt,
                approvedBy,
                approvedAt,
                completedBy,
                completedAt,
                rejectedReason,
                note,
                evidenceSha256,
                recipients,
                version,
                subjectName,
                subjectEmail,
                waitingFor,
                actions,
                List.copyOf(entries));
    }

    /** A recipient of the subject's data to tell about the change (GDPR Art. 19). */
    public record Recipient(
            String name,
            @Nullable Instant notifiedAt,
            @Nullable UUID notifiedBy) {}
}
