package io.steward.server.audit;

import io.steward.server.api.Endpoint;
import io.steward.server.db.Keyset;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.util.Optional;

/** {@code /api/v1/audit}: the trail, filtered and paginated, and the chain check. */
public final class AuditRoutes {
    private final AuditService audit;
    private final AuditCheckpoints checkpoints;

    public AuditRoutes(AuditService audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    public void register(Router router) {
        router.handle(Endpoint.AUDIT, this::list)
                .handle(Endpoint.AUDIT_VERIFY, this::verify)
                .handle(Endpoint.AUDIT_PUBLIC_KEY, ex -> ex.ok(publicKey()))
                .handle(Endpoint.AUDIT_CHECKPOINTS, this::checkpoints);
    }

    /** The whole chain unless {@code scope=since-checkpoint} asks for the quick check reports make. */
    private void verify(Exchange ex) {
        String scope = ex.query("scope").orElse("full");
        if (!scope.equals("full") && !scope.equals("since-checkpoint")) {
            throw new io.steward.server.error.ServiceException.Validation(
                    "scope", "scope must be full or since-checkpoint");
        }
        ex.ok(audit.verify(scope.equals("full")));
    }

    private java.util.Map<String, String> publicKey() {
        var key = checkpoints.key();
        return java.util.Map.of(
                "algorithm", SigningKey.ALGORITHM,
                "keyId", key.keyId(),
                "publicKey", key.publicKeyBase64(),
                "pem", key.publicKeyPem());
    }

    private void checkpoints(Exchange ex) {
        var period = ex.period();
        ex.ok(checkpoints.between(
                period.from().orElse(java.time.Instant.EPOCH),
                period.to().orElse(java.time.Instant.parse("9999-12-31T00:00:00Z"))));
    }

    private void list(Exchange ex) {
        var period = ex.period();
        var query = new AuditRepository.Query(
                ex.query("type"),
                ex.uuidQuery("actorId"),
                ex.uuidQuery("subjectId"),
                period.from(),
                period.to(),
                Optional.empty());
        int limit = ex.limit();
        Optional<Keyset> after = ex.query("cursor").map(Keyset::decode);
        ex.ok(audit.list(query, limit, after.orElse(null)));
    }
}
