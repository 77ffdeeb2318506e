package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/v1/users/{id}/rectify} (GDPR Art. 16): the corrected values and why. */
public record RectifyRequest(
        @Nullable String name,
        @Nullable String email,
        @Nullable String reason) {}
