package io.steward.server.http;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * At most {@code perKey} things under way at once for each key (an address, a staff member, a
 * token); refused beyond that, never queued.
 *
 * @param <K> what the limit is counted by
 */
public final class PerKeyLimit<K> {
    private final int perKey;
    private final ConcurrentHashMap<K, Integer> underWay = new ConcurrentHashMap<>();

    public PerKeyLimit(int perKey) {
        this.perKey = perKey;
    }

    /** One thing under way; closing it ends it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot for {@code key}, or null when {@code key} has {@code perKey} under way already. */
    public @Nullable Slot tryEnter(K key) {
        boolean[] admitted = {false};
        underWay.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perKey) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            return null;
        }
        boolean[] closed = {false};
        return () -> {
            synchronized (closed) {
                if (closed[0]) {
                    return;
                }
                closed[0] = true;
            }
            underWay.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
        };
    }

    /** Things under way now, over every key. */
    public int underWay() {
        return underWay.values().stream().mapToInt(Integer::intValue).sum();
    }
}
