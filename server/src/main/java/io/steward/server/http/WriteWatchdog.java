package io.steward.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ends responses whose client stopped reading. A write that has been blocked for longer than the
 * timeout (the socket's send buffer full, the client reading nothing) has its thread interrupted;
 * requests run on virtual threads, where that closes the socket and fails the write. Without it a
 * client that never reads keeps a thread, and whatever that thread holds, for as long as the TCP
 * connection lives.
 */
public final class WriteWatchdog implements AutoCloseable {
    private final long timeoutNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steward-write-watchdog");
        t.setDaemon(true);
        return t;
    });

    public WriteWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long every = Math.max(100, Math.min(1_000, timeout.toMillis() / 4));
        ticker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** A write that can fail with an I/O error. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    /** Watches the writes of one response; close it when the response is done. */
    public Watch watch() {
        var watch = new Watch();
        watches.add(watch);
        return watch;
    }

    /** Writes of one response, each allowed up to the timeout. */
    public final class Watch implements AutoCloseable {
        private long since;
        private @Nullable Thread writer;
        private boolean expired;

        /** Runs {@code write}; fails when it was blocked longer than the timeout. */
        public void write(Write write) throws IOException {
            synchronized (this) {
                if (expired) {
                    throw stalled();
                }
                writer = Thread.currentThread();
                since = System.nanoTime();
            }
            try {
                write.run();
            } finally {
                synchronized (this) {
                    since = 0;
                    if (expired) {
                        // the interrupt was for the write; nothing after it should see it
                        Thread.interrupted();
                    }
                }
            }
            synchronized (this) {
                if (expired) {
                    throw stalled();
                }
            }
        }

        /** {@code out}, with every write and flush watched. */
        public OutputStream wrap(OutputStream out) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    Watch.this.write(() -> out.write(b));
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    Watch.this.write(() -> out.write(b, off, len));
                }

                @Override
                public void flush() throws IOException {
                    Watch.this.write(out::flush);
                }

                @Override
                public void close() throws IOException {
                    Watch.this.write(out::close);
                }
            };
        }

        private synchronized void expireIfStalled(long now) {
            if (since != 0 && !expired && now - since > timeoutNanos && writer != null) {
                expired = true;
                writer.interrupt();
            }
        }

        private IOException stalled() {
            return new IOException("the client read nothing for "
                    + Duration.ofNanos(timeoutNanos).toSeconds() + " s; the connection was closed");
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch watch : watches) {
            watch.expireIfStalled(now);
        }
    }

    /** Responses being written now. */
    public int watching() {
        return watches.size();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
