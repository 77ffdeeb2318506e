package io.steward.console.session;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs background work for view models and hands results back on the UI thread. The app uses
 * {@link FxTaskExecutor}; tests of view models may run everything on one thread.
 */
public interface TaskExecutor {
    /** Runs {@code work} off the UI thread, then {@code onSuccess} or {@code onFailure} on it. */
    <T> void run(Supplier<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs {@code action} on the UI thread, later. */
    void ui(Runnable action);
}
