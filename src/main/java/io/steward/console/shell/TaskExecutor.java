package io.steward.console.shell;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs background work for view models and hands the result back on the UI thread. The app
 * uses {@link FxTaskExecutor}; tests of view models may run everything on one thread.
 */
public interface TaskExecutor {
    <T> void run(Supplier<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);
}
