package io.steward.server.auth;

import java.time.Duration;

/**
 * Sign-in limits.
 *
 * @param tokenIdleTimeout a token unused this long stops working
 * @param failuresBeforeLockout consecutive failed sign-ins to one account name from one address,
 *     within {@code addressWindow}, that lock that name out from that address
 * @param lockout how long such a lockout lasts
 * @param failuresPerAddress failed sign-ins one IP address may make per {@code addressWindow}
 * @param failuresPerAccount failed sign-ins to one account name, from all addresses together, per
 *     {@code addressWindow} above which the name counts as targeted ({@code auth.accounts.targeted},
 *     an alert): a ceiling that warns instead of locking, so that nobody can lock a colleague out
 * @param concurrentHashes passwords hashed at once (each takes a core for tens of milliseconds)
 * @param hashWait how long a sign-in waits for a hashing slot before it is answered 429
 */
public record AuthSettings(
        Duration tokenIdleTimeout,
        int failuresBeforeLockout,
        Duration lockout,
        int failuresPerAddress,
        Duration addressWindow,
        int failuresPerAccount,
        int concurrentHashes,
        Duration hashWait) {

    /**
     * These limits, with a ceiling of 50 failures per account name, as many hashes at once as there
     * are cores, each waited for up to a second.
     */
    public AuthSettings(
            Duration tokenIdleTimeout,
            int failuresBeforeLockout,
            Duration lockout,
            int failuresPerAddress,
            Duration addressWindow) {
        this(
                tokenIdleTimeout,
                failuresBeforeLockout,
                lockout,
                failuresPerAddress,
                addressWindow,
                50,
                Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(1));
    }

    public static AuthSettings defaults() {
        return new AuthSettings(Duration.ofHours(8), 5, Duration.ofMinutes(15), 30, Duration.ofMinutes(15));
    }
}
