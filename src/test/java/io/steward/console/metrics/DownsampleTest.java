package io.steward.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownsampleTest {
    private static List<Point> hourWithOneSpike() {
        var points = new ArrayList<Point>();
        for (int second = 0; second < 3_600; second++) {
            points.add(new Point(1_000_000 + second, second == 1_234 ? 500 : 10 + (second % 7)));
        }
        return points;
    }

    @Test
    void anHourOfSecondsIsDrawnWithAtMostTwoPointsPerBucketAndKeepsItsSpike() {
        List<Point> shown = Downsample.minMax(hourWithOneSpike(), 300);
        assertThat(shown).hasSizeLessThanOrEqualTo(600).hasSizeGreaterThan(300);
        assertThat(shown).contains(new Point(1_001_234, 500));
        assertThat(shown.stream().mapToDouble(Point::value).min().orElseThrow()).isEqualTo(10);
        assertThat(shown).isSortedAccordingTo((a, b) -> Long.compare(a.at(), b.at()));
        assertThat(shown.getFirst().at()).isEqualTo(1_000_000);
        assertThat(shown.getLast().at()).isGreaterThanOrEqualTo(1_003_588);
    }

    @Test
    void aShortSeriesIsLeftAsItIs() {
        List<Point> five = hourWithOneSpike().subList(0, 300);
        assertThat(Downsample.minMax(five, 300)).isSameAs(five);
    }
}
