package io.steward.server.auth;

import io.steward.server.error.ServiceException;
import io.steward.server.http.PerKeyLimit;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the password hashing sign-in does (Argon2id: tens of milliseconds of CPU and 19 MiB
 * each), so that sign-in cannot be turned against the server. One address has at most {@link
 * #PER_ADDRESS} sign-ins under way at a time, others from it are answered 429 at once; and at most
 * as many hashes run at once as the server has cores, a sign-in waiting longer than {@code wait}
 * for one is answered 429 too. Neither queues without bound. Per instance: across instances the
 * limits recorded in the database hold.
 */
final class SignInGate {
    /** Sign-ins one address may have under way at once (colleagues behind one office's NAT). */
    static final int PER_ADDRESS = 4;

    private final Semaphore hashes;
    private final Duration wait;
    private final PerKeyLimit<String> perAddress = new PerKeyLimit<>(PER_ADDRESS);

    SignInGate(int concurrentHashes, Duration wait) {
        this.hashes = new Semaphore(Math.max(1, concurrentHashes), true);
        this.wait = wait;
    }

    /** A sign-in from {@code address} under way, or 429 when the address has too many already. */
    PerKeyLimit.Slot enter(String address) {
        PerKeyLimit.Slot slot = perAddress.tryEnter(address);
        if (slot == null) {
            throw new ServiceException.RateLimited(
                    "another sign-in from this address is under way; try again in a moment", Duration.ofSeconds(1));
        }
        return slot;
    }

    /** Runs {@code hash} once a hashing slot is free, or refuses when none frees up in time. */
    boolean hash(java.util.function.BooleanSupplier hash) {
        boolean acquired;
        try {
            acquired = hashes.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ServiceException.RateLimited(
                    "the server is busy with other sign-ins; try again in a moment", Duration.ofSeconds(1));
        }
        try {
            return hash.getAsBoolean();
        } finally {
            hashes.release();
        }
    }
}
