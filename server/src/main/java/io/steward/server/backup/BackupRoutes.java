package io.steward.server.backup;

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
                        "GET",
                        "/api/v1/backups",
                        ex -> ex.ok(backups.list(
                                ex.principal(),
                                ex.limit(),
                                ex.query("cursor").map(Keyset::decode).orElse(null))))
                .handle("POST", "/api/v1/backups", ex -> ex.json(202, backups.start(ex.principal(), ex.requestId())))
                .handle("GET", "/api/v1/backups/drill", ex -> ex.ok(backups.drillStatus()))
                .handle("GET", "/api/v1/backups/{id}", ex -> ex.ok(backups.get(ex.principal(), ex.uuidParam("id"))))
                .handle(
                        "POST",
                        "/api/v1/backups/{id}/verify",
                        ex -> ex.ok(backups.verify(ex.principal(), ex.uuidParam("id"), ex.requestId())));
    }
}
