package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PATCH /api/v1/users/{id}}: only the fields present change. {@code
 * processingRestricted: false} alone lifts a GDPR Art. 18 restriction.
 */
public record UpdateUserRequest(
        @Nullable String email,
        @Nullable String name,
        @Nullable String role,
        @Nullable Boolean active,
        @Nullable Boolean processingRestricted) {}
