package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A backup: its state, the archive file, what it holds per table, and the verdict of its last
 * restore test ({@code verified} true only when that test passed; {@code verifiedAt} set once one ran),
 * and what its reader may do with it now ({@code actions}, by the server's rules).
 */
public record BackupView(
        UUID id,
        BackupStatus status,
        String trigger,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable Long durationMs,
        @Nullable UUID createdBy,
        @Nullable String fileName,
        @Nullable Long sizeBytes,
        @Nullable Integer tables,
        @Nullable Long rows,
        @Nullable String schemaVersion,
        @Nullable String checksum,
        @Nullable String error,
        boolean verified,
        @Nullable Instant verifiedAt,
        @Nullable UUID verifiedBy,
        @Nullable String verifyReason,
        @Nullable Instant prunedAt,
        List<TableContent> contents,
        List<BackupAction> actions) {

    /** The same backup with the actions its reader may take now. */
    public BackupView withActions(List<BackupAction> allowed) {
        return new BackupView(
                id,
                status,
                trigger,
                createdAt,
                completedAt,
                durationMs,
                createdBy,
                fileName,
                sizeBytes,
                tables,
                rows,
                schemaVersion,
                checksum,
                error,
                verified,
                verifiedAt,
                verifiedBy,
                verifyReason,
                prunedAt,
                contents,
                List.copyOf(allowed));
    }

    /** One table in the archive: rows, bytes of COPY data, and their SHA-256. */
    public record TableContent(String name, long rows, long bytes, String sha256) {}
}
