package io.steward.server.api;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One restore test of a backup, asked for by a person ({@code manual}) or run by the drill schedule
 * ({@code drill}): when it started, how long the restore took (the measured recovery time; null
 * for tests recorded before durations were kept), the snapshot time of the data it proved (the
 * recovery point), and its verdict.
 */
public record RestoreTestView(
        UUID id,
        UUID backupId,
        String trigger,
        Instant startedAt,
        @Nullable Long durationMs,
        Instant recoveryPoint,
        boolean verified,
        @Nullable String reason) {}
