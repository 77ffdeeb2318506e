package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** {@code POST /api/v1/alerts/{id}/acknowledge}: what the person on it says, if anything. */
public record AcknowledgeRequest(@Nullable String note) {}
