package io.steward.server.reports;

import io.steward.server.audit.AuditModule;
import io.steward.server.backup.BackupService;
import io.steward.server.db.Database;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.http.Router;
import java.time.Clock;
import java.util.List;

/** The reports wired: signed reports (read from {@code reads}) and evidence packs, and their routes. */
public record ReportsModule(ReportRoutes routes) {

    public static ReportsModule wire(
            Database db,
            Database reads,
            AuditModule audit,
            BackupService backups,
            List<RetentionService.Policy> retention,
            Clock clock) {
        var reports = new ReportService(
                db, reads, audit.service(), audit.checkpoints().key(), clock, retention);
        return new ReportsModule(new ReportRoutes(
                reports, new EvidencePackService(reports, audit.checkpoints(), backups, db, audit.service(), clock)));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
