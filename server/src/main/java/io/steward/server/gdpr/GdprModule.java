package io.steward.server.gdpr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.ServerConfig;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.cluster.ClusterBus;
import io.steward.server.cluster.ClusterMessage;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import io.steward.server.users.UserRepository;
import java.time.Clock;
import java.util.List;

/**
 * Data subjects' rights wired: requests, exports and erasures (with the erasure ledger, kept as a
 * file beside the backups), storage limitation by the {@code --retention} policies, and the routes.
 */
public record GdprModule(
        ErasureLedgerService erasureLedger,
        List<RetentionService.Policy> retentionPolicies,
        RetentionService retention,
        GdprRoutes routes) {

    public static GdprModule wire(
            ServerConfig config,
            Database db,
            ObjectMapper mapper,
            UserRepository users,
            SubjectKeyRepository subjectKeys,
            AuditService audit,
            Clock clock,
            ClusterBus bus) {
        var erasureLedger = new ErasureLedgerService(db, config.backupDir().resolve(ErasureLedger.FILE_NAME), audit);
        // a request completed through another instance: this one's copy of the ledger file follows
        bus.on(ClusterMessage.AuditRecorded.class, event -> {
            if ("gdpr.request_completed".equals(event.action())) {
                erasureLedger.mirrorSoon();
            }
        });
        List<RetentionService.Policy> policies;
        try {
            policies = RetentionService.parse(config.retention().orElse(RetentionService.DEFAULTS));
        } catch (IllegalArgumentException e) {
            throw new ServerConfig.InvalidOption(e.getMessage());
        }
        var retention = new RetentionService(db, new RetentionRepository(), audit, clock, policies);
        var exports = new SubjectExportService(db, new SubjectDataRepository(), audit, clock, mapper);
        var gdpr = new GdprService(
                db,
                new GdprRepository(),
                exports,
                new ErasureRepository(),
                erasureLedger,
                users,
                subjectKeys,
                audit,
                clock,
                config.gdprRecipients());
        return new GdprModule(erasureLedger, policies, retention, new GdprRoutes(gdpr, exports, retention));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
