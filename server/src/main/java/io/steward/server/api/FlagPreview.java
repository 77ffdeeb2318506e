package io.steward.server.api;

/**
 * What moving a flag to {@code percentage} would do to the current users: how many have it on
 * now and would then, and how many would flip each way.
 */
public record FlagPreview(
        String key,
        int currentPercentage,
        int percentage,
        long users,
        long onNow,
        long onAfter,
        long turningOn,
        long turningOff) {}
