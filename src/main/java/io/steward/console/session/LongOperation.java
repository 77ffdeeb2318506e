package io.steward.console.session;

import io.steward.console.client.Cancellation;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * A screen's long operation (a report, an export, a restore test): it runs off the UI thread,
 * says what it is doing and how far it got, and the person may cancel it. One at a time per
 * screen. Holds no JavaFX nodes.
 */
public final class LongOperation {
    private static final long PROGRESS_EVERY_NANOS = 100_000_000L;

    private final TaskExecutor executor;
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final StringProperty progress = new SimpleStringProperty("");
    private @Nullable Cancellation current;
    private String doing = "";

    public LongOperation(TaskExecutor executor) {
        this.executor = executor;
    }

    /**
     * Starts {@code work}, showing {@code doing} until it ends. A cancelled operation ends with
     * "Cancelled." shown and neither {@code onSuccess} nor {@code onFailure} called.
     */
    public <T> void run(
            String doing, Function<Cancellation, T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        run(doing, "Cancelled.", work, onSuccess, onFailure);
    }

    /** As {@link #run(String, Function, Consumer, Consumer)}, saying {@code cancelled} when cancelled. */
    public <T> void run(
            String doing,
            String cancelled,
            Function<Cancellation, T> work,
            Consumer<T> onSuccess,
            Consumer<Throwable> onFailure) {
        var cancellation = new Cancellation();
        current = cancellation;
        this.doing = doing;
        running.set(true);
        progress.set(doing);
        executor.run(
                () -> work.apply(cancellation),
                result -> {
                    end(cancellation, "");
                    onSuccess.accept(result);
                },
                failure -> {
                    if (failure instanceof Cancellation.Cancelled || cancellation.isCancelled()) {
                        end(cancellation, cancelled);
                    } else {
                        end(cancellation, "");
                        onFailure.accept(failure);
                    }
                });
    }

    private void end(Cancellation which, String said) {
        if (current == which) {
            current = null;
            running.set(false);
            progress.set(said);
        }
    }

    /** Stops the running operation; it ends as soon as its connection is closed. */
    public void cancel() {
        Cancellation running = current;
        if (running != null) {
            running.cancel();
            progress.set("Cancelling…");
        }
    }

    /**
     * For downloads: takes the bytes received so far (on any thread) and shows them after what is
     * being done, at most ten times a second.
     */
    public LongConsumer bytesReceived() {
        var last = new AtomicLong(System.nanoTime());
        String what = doing;
        return bytes -> {
            long now = System.nanoTime();
            long before = last.get();
            if (now - before >= PROGRESS_EVERY_NANOS && last.compareAndSet(before, now)) {
                executor.ui(() -> {
                    if (running.get()) {
                        progress.set(what + " " + size(bytes) + " received.");
                    }
                });
            }
        };
    }

    /** "812 bytes", "64 KB", "3.4 MB". */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return bytes / 1024 + " KB";
        }
        return String.format(Locale.ENGLISH, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public StringProperty progressProperty() {
        return progress;
    }
}
