package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/v1/auth/lockouts/unlock}: the account name and the address to unlock. */
public record UnlockRequest(
        @Nullable String email, @Nullable String ip) {}
