package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/v1/users}; staff roles need a password. */
public record CreateUserRequest(
        @Nullable String email,
        @Nullable String name,
        @Nullable String role,
        @Nullable String password,
        @Nullable Boolean active) {
    @Override
    public String toString() {
        return "CreateUserRequest[role=" + role + "]";
    }
}
