package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/reports/{type}}: the period's first and last day ({@code
 * YYYY-MM-DD}, both inclusive, UTC); without them the last full calendar quarter, with {@code
 * from} alone up to today.
 */
public record ReportRequest(@Nullable String from, @Nullable String to) {}
