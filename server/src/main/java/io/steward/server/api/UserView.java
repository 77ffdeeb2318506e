package io.steward.server.api;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A user as the API shows it. Never carries the password hash. */
public record UserView(
        UUID id,
        String email,
        String name,
        Role role,
        boolean active,
        boolean emailVerified,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant lastLogin,
        long version) {}
