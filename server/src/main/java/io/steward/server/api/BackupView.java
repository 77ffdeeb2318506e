package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A backup: its state, the archive file, what it holds per table, and the verdict of its last
 * restore test ({@code verified} true only when that test passed; {@code verifiedAt} set once one ran).
 */
public record BackupView(
        UUID id,
        String status,
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
        List<TableContent> contents) {

    /** One table in the archive: rows, bytes of COPY data, and their SHA-256. */
    public record TableContent(String name, long rows, long bytes, String sha256) {}
}
