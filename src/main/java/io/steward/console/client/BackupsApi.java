package io.steward.console.client;

import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.RestoreDrillStatus;
import java.util.Map;
import java.util.UUID;

/** Backups, their restore tests and the restore drill. */
public final class BackupsApi {
    private final Transport transport;

    BackupsApi(Transport transport) {
        this.transport = transport;
    }

    /** Backups, newest first. */
    public Page<BackupView> list(int limit) {
        return transport.send(ApiCall.page(Endpoint.BACKUPS, BackupView.class).query("limit", limit));
    }

    /** The restore drill: its schedule, the last drill, and how long no backup has been proven. */
    public RestoreDrillStatus drill() {
        return transport.send(ApiCall.of(Endpoint.BACKUP_DRILL, RestoreDrillStatus.class));
    }

    /** Starts a backup; it is written in the background (its status says when it is done). */
    public BackupView start() {
        return transport.send(
                ApiCall.of(Endpoint.BACKUP_START, BackupView.class).body(Map.of()));
    }

    /**
     * Restores a backup into a scratch database and compares it; answers when done (minutes for a
     * large one). Cancelling stops waiting: the server finishes the check and records its verdict.
     */
    public BackupVerification verify(UUID id, Cancellation cancellation) {
        return transport.send(ApiCall.of(Endpoint.BACKUP_VERIFY, BackupVerification.class, id)
                .body(Map.of())
                .slow()
                .cancellable(cancellation));
    }
}
