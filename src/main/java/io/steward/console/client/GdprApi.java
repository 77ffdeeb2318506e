package io.steward.console.client;

import io.steward.server.api.AuditEntry;
import io.steward.server.api.Endpoint;
import io.steward.server.api.GdprCommands;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.Page;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Data-subject requests and the steps of their workflow. A step may take a while (an erasure runs
 * in its transaction, the subject's data is gathered for an access request), so steps are allowed
 * minutes; none is retried (the first attempt may have been applied).
 */
public final class GdprApi {
    private final Transport transport;

    GdprApi(Transport transport) {
        this.transport = transport;
    }

    /**
     * Requests, newest first; {@code status} is a state's wire name, {@link GdprStatus#OPEN} or empty
     * for any; a null {@code type} or {@code userId} means any.
     */
    public Page<GdprRequestView> list(
            String status, @Nullable GdprType type, boolean overdue, @Nullable UUID userId, int limit) {
        return transport.send(ApiCall.page(Endpoint.GDPR_REQUESTS, GdprRequestView.class)
                .query("limit", limit)
                .query("userId", userId)
                .query("status", status)
                .query("type", type == null ? null : type.wireName())
                .query("overdue", overdue ? "true" : null));
    }

    /** A request's history from the audit trail, oldest first. */
    public List<AuditEntry> timeline(UUID id) {
        return transport
                .send(ApiCall.page(Endpoint.GDPR_TIMELINE, AuditEntry.class, id))
                .items();
    }

    /** Records a request received from the subject {@code userId}. */
    public GdprRequestView open(UUID userId, GdprType type, @Nullable String note) {
        return transport.send(ApiCall.of(Endpoint.GDPR_OPEN, GdprRequestView.class)
                .body(new GdprCommands.Open(userId.toString(), type.wireName(), note)));
    }

    /** The subject's identity was checked. */
    public GdprRequestView verify(UUID id, @Nullable String note) {
        return step(Endpoint.GDPR_VERIFY, id, new GdprCommands.Verify(note));
    }

    /** The deadline moves by {@code months} (Art. 12(3)), for the reason given. */
    public GdprRequestView extend(UUID id, int months, String reason) {
        return step(Endpoint.GDPR_EXTEND, id, new GdprCommands.Extend(months, reason));
    }

    /** Refused, for the reason given, with the subject told of their right to complain. */
    public GdprRequestView reject(UUID id, String reason) {
        return step(Endpoint.GDPR_REJECT, id, new GdprCommands.Reject(reason, true));
    }

    /** An erasure approved by an admin other than the one who verified it. */
    public GdprRequestView approve(UUID id, @Nullable String note) {
        return step(Endpoint.GDPR_APPROVE, id, new GdprCommands.Note(note));
    }

    /** Carried out: for an erasure, the subject is anonymised now. */
    public GdprRequestView complete(UUID id, @Nullable String note) {
        return step(Endpoint.GDPR_COMPLETE, id, new GdprCommands.Note(note));
    }

    /** Records that {@code recipient} of the subject's data was told of the change (GDPR Art. 19). */
    public GdprRequestView recipientNotified(UUID id, String recipient) {
        return transport.send(ApiCall.of(Endpoint.GDPR_RECIPIENT_NOTIFIED, GdprRequestView.class, id, recipient)
                .body(Map.of()));
    }

    private GdprRequestView step(Endpoint endpoint, UUID id, Object body) {
        return transport.send(
                ApiCall.of(endpoint, GdprRequestView.class, id).body(body).slow());
    }
}
