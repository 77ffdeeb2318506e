package io.steward.server.api;

import java.time.Instant;

/**
 * Answer to a successful sign-in. {@code expiresAt} is when the token lapses if unused; each
 * use moves it on (idle expiry).
 */
public record LoginResponse(String token, Instant expiresAt, UserView user) {
    @Override
    public String toString() {
        return "LoginResponse[expiresAt=" + expiresAt + ", user=" + user.id() + "]";
    }
}
