package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of restoring a backup into a scratch database: {@code reason} says why it failed
 * (null when it passed); {@code tables} compares each restored table with what the backup recorded;
 * {@code erasuresReplayed} counts the erasures completed after the backup that the restore did again
 * from the erasure ledger.
 */
public record BackupVerification(
        UUID backupId,
        boolean verified,
        Instant verifiedAt,
        long durationMs,
        @Nullable String reason,
        List<TableCheck> tables,
        int erasuresReplayed) {

    /** One table: rows recorded and restored, and whether the restored data has the recorded SHA-256. */
    public record TableCheck(String name, long expectedRows, long rows, boolean checksumMatches) {}
}
