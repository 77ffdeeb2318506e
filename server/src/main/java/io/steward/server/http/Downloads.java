package io.steward.server.http;

import io.steward.server.access.Principal;
import io.steward.server.error.ServiceException;
import java.time.Duration;
import java.util.UUID;

/**
 * What downloads (CSV exports, reports, a subject's data) may hold: each staff member has at most
 * {@link #PER_PERSON} under way at once, and every write of one is watched, so that a client that
 * stops reading is cut off after the write timeout. Downloads never hold a database connection
 * while they write: they read in pages, or whole before the first byte.
 */
public final class Downloads {
    /** Downloads one staff member may have under way at once. */
    public static final int PER_PERSON = 2;

    private final PerKeyLimit<UUID> perPerson = new PerKeyLimit<>(PER_PERSON);
    private final WriteWatchdog watchdog;

    public Downloads(WriteWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** A download by {@code who} under way, or 429 when they have {@link #PER_PERSON} already. */
    PerKeyLimit.Slot begin(Principal who) {
        PerKeyLimit.Slot slot = perPerson.tryEnter(who.userId());
        if (slot == null) {
            throw new ServiceException.RateLimited(
                    "you have " + PER_PERSON + " downloads under way already; wait for one to finish",
                    Duration.ofSeconds(5));
        }
        return slot;
    }

    WriteWatchdog watchdog() {
        return watchdog;
    }
}
