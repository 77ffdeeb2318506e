package io.steward.server.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The restore drill: its schedule ({@code 7d}, {@code 24h}…; null when switched off), when the next
 * one is due, the last drill, and how long it has been since any restore test proved a backup
 * ({@code unprovenDays}, counted from the last proof, or from the first backup or the installation
 * when nothing was ever proven).
 */
public record RestoreDrillStatus(
        @Nullable String schedule,
        @Nullable Instant nextDueAt,
        @Nullable RestoreTestView lastDrill,
        @Nullable Instant lastProvenAt,
        @Nullable Instant lastCompletedAt,
        double unprovenDays) {}
