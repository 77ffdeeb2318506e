package io.steward.server.audit;

import io.steward.server.db.Keyset;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.util.Optional;

/** {@code /api/v1/audit}: the trail, filtered and paginated, and the chain check. */
public final class AuditRoutes {
    private final AuditService audit;

    public AuditRoutes(AuditService audit) {
        this.audit = audit;
    }

    public void register(Router router) {
        router.handle("GET", "/api/v1/audit", this::list)
                .handle("GET", "/api/v1/audit/verify", ex -> ex.ok(audit.verify()));
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
