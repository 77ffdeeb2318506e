package io.steward.server.auth;

import java.time.Duration;

/**
 * Sign-in limits.
 *
 * @param tokenIdleTimeout a token unused this long stops working
 * @param failuresBeforeLockout consecutive failed sign-ins that lock an account
 * @param lockout how long a locked account stays locked
 * @param failuresPerAddress failed sign-ins one IP address may make per {@code addressWindow}
 */
public record AuthSettings(
        Duration tokenIdleTimeout,
        int failuresBeforeLockout,
        Duration lockout,
        int failuresPerAddress,
        Duration addressWindow) {

    public static AuthSettings defaults() {
        return new AuthSettings(Duration.ofHours(8), 5, Duration.ofMinutes(15), 30, Duration.ofMinutes(15));
    }
}
