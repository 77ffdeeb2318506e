package io.steward.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {
    static final long T0 = 1_800_000_000L; // a whole minute

    @Test
    void keepsTheLastHourPerSecondAndOverwritesOlderSeconds() {
        var store = new SeriesStore();
        store.declare("x");
        for (long s = 0; s < 4_000; s++) {
            store.record(T0 + s, Map.of("x", (double) s));
        }
        long now = T0 + 3_999;
        var hour = store.points("x", now - 3_599, now, false);
        assertThat(hour).hasSize(3_600);
        assertThat(hour.getFirst().value()).isEqualTo(400.0);
        assertThat(hour.getLast().value()).isEqualTo(3_999.0);
        // asking beyond the hour returns no stale values from the overwritten ring
        assertThat(store.points("x", now - 5_000, now, false)).hasSize(3_600);
    }

    @Test
    void minutesHoldTheMeanOfTheirSecondsAndGapsAreLeftOut() {
        var store = new SeriesStore();
        store.declare("x");
        for (long s = 0; s < 120; s++) {
            store.record(T0 + s, s % 2 == 0 ? Map.of("x", 10.0) : Map.of("x", 20.0));
        }
        store.record(T0 + 130, Map.of()); // a second without a value for x
        var minutes = store.points("x", T0, T0 + 130, true);
        assertThat(minutes).hasSize(2);
        assertThat(minutes.get(0).value()).isEqualTo(15.0);
        assertThat(store.points("x", T0 + 125, T0 + 130, false)).isEmpty();
    }

    @Test
    void theMemoryBoundIsFixedUpFront() {
        assertThat(SeriesStore.bytesPerSeries()).isEqualTo((3_600 + 1_440) * 8L);
        assertThat(SeriesStore.boundBytes()).isLessThan(11L * 1024 * 1024);
    }
}
