package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/v1/auth/login}. */
public record LoginRequest(@Nullable String email, @Nullable String password) {
    @Override
    public String toString() {
        return "LoginRequest[email=" + email + "]";
    }
}
