package io.steward.console.client;

import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import org.jspecify.annotations.Nullable;

/**
 * Lets the person stop a long call they no longer want. {@link #cancel()} ends the call's
 * connection at once, from any thread; the call then throws {@link Cancelled} and leaves nothing
 * half-written behind.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile @Nullable Call call;

    public void cancel() {
        cancelled.set(true);
        Call running = call;
        if (running != null) {
            running.cancel();
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** The call now running on behalf of this cancellation; cancelled at once if already asked. */
    void attach(Call running) {
        call = running;
        if (cancelled.get()) {
            running.cancel();
        }
    }

    /** Throws {@link Cancelled} once cancelled. */
    void check() {
        if (cancelled.get()) {
            throw new Cancelled();
        }
    }

    /** The call was stopped by the person; not a failure of the server or the network. */
    public static final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled", null, false, false);
        }
    }
}
