package io.steward.console.client;

import io.steward.server.api.AuditEntry;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The audit trail, its verification and the key its checkpoints are signed with. */
public final class AuditApi {
    private final Transport transport;

    AuditApi(Transport transport) {
        this.transport = transport;
    }

    /** What to list of the trail: any of them may be null (no filter). */
    public record Query(
            @Nullable String action,
            @Nullable UUID actorId,
            @Nullable UUID subjectId,
            @Nullable Instant from,
            @Nullable Instant to) {
        public static Query all() {
            return new Query(null, null, null, null, null);
        }
    }

    /** One page of the trail, newest first; {@code cursor} from the previous page, or null. */
    public Page<AuditEntry> list(Query query, @Nullable String cursor, int limit) {
        return transport.send(ApiCall.page(Endpoint.AUDIT, AuditEntry.class)
                .query("limit", limit)
                .query("type", query.action())
                .query("actorId", query.actorId())
                .query("subjectId", query.subjectId())
                .query("from", query.from())
                .query("to", query.to())
                .query("cursor", cursor));
    }

    /** Recomputes the whole chain on the server (seconds for a million entries). */
    public AuditVerification verify(Cancellation cancellation) {
        return transport.send(ApiCall.of(Endpoint.AUDIT_VERIFY, AuditVerification.class)
                .slow()
                .cancellable(cancellation));
    }

    /** The id of the key the server signs audit checkpoints and evidence packs with. */
    public String keyId() {
        return String.valueOf(
                transport.send(ApiCall.of(Endpoint.AUDIT_PUBLIC_KEY, Map.class)).get("keyId"));
    }
}
