package io.steward.server.backup;

import io.steward.server.api.Endpoint;
import io.steward.server.db.Keyset;
import io.steward.server.http.Router;

/** Backups over HTTP: list, start, show, verify, and the restore drill's status. */
public final class BackupRoutes {
    private final BackupService backups;

    public BackupRoutes(BackupService backups) {
        this.backups = backups;
    }

    public void register(Router router) {
        router.handle(
                        Endpoint.BACKUPS,
                        ex -> ex.ok(backups.list(
                                ex.principal(),
                                ex.limit(),
                                ex.query("cursor").map(Keyset::decode).orElse(null))))
                .handle(Endpoint.BACKUP_START, ex -> ex.json(202, backups.start(ex.principal(), ex.requestId())))
                .handle(Endpoint.BACKUP_DRILL, ex -> ex.ok(backups.drillStatus()))
                .handle(Endpoint.BACKUP, ex -> ex.ok(backups.get(ex.principal(), ex.uuidParam("id"))))
                .handle(
                        Endpoint.BACKUP_VERIFY,
                        ex -> ex.ok(backups.verify(ex.principal(), ex.uuidParam("id"), ex.requestId())));
    }
}
