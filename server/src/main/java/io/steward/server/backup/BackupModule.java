package io.steward.server.backup;

import io.steward.server.ServerConfig;
import io.steward.server.api.MetricSeries;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import io.steward.server.metrics.Metrics;
import io.steward.server.metrics.MetricsSampler;
import java.time.Clock;

/**
 * Backups wired: the service on the {@code --backup-*} and restore drill options, its series and
 * gauges, and its routes.
 */
public record BackupModule(BackupService service, BackupRoutes routes) {

    public static BackupModule wire(
            ServerConfig config,
            Database db,
            AuditService audit,
            Clock clock,
            MetricsSampler sampler,
            Metrics metrics) {
        var backups = new BackupService(
                db,
                audit,
                clock,
                new BackupService.Settings(
                        config.backupDir(),
                        config.backupKeep(),
                        config.backupDaily(),
                        config.backupKey(),
                        config.backupKeyFile().isEmpty(),
                        config.restoreDrill()));
        sampler.gauge(
                new MetricSeries("backup.unproven.days", "days", "Days since a restore test last proved a backup"),
                backups::unprovenDays);
        metrics.gauge(
                "steward.backup.last.completed.timestamp.seconds",
                "When the newest backup completed (Unix time)",
                backups::lastCompletedEpochSeconds);
        metrics.gauge(
                "steward.backup.last.verified.timestamp.seconds",
                "When a restore test last proved a backup (Unix time)",
                backups::lastVerifiedEpochSeconds);
        metrics.gauge(
                "steward.restore.drill.duration.seconds",
                "How long the last restore drill's restore took",
                backups::lastDrillSeconds);
        return new BackupModule(backups, new BackupRoutes(backups));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
