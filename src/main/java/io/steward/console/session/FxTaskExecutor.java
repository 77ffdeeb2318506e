package io.steward.console.session;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;

/** Work on a virtual thread, results back on the JavaFX application thread. */
public final class FxTaskExecutor implements TaskExecutor {
    @Override
    public <T> void run(Supplier<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Thread.ofVirtual().name("console-task").start(() -> {
            try {
                T result = work.get();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (RuntimeException e) {
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
    }

    @Override
    public void ui(Runnable action) {
        Platform.runLater(action);
    }
}
