package io.steward.console.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Fewer points for drawing, same picture: the series is cut into buckets along time and each
 * bucket keeps its lowest and its highest point, in time order, so spikes and dips survive.
 */
public final class Downsample {
    private Downsample() {}

    /** At most {@code 2 × buckets} points; a series that already fits is returned as it is. */
    public static List<Point> minMax(List<Point> points, int buckets) {
        if (points.size() <= 2 * buckets) {
            return points;
        }
        long first = points.getFirst().at();
        long span = Math.max(1, points.getLast().at() - first + 1);
        var result = new ArrayList<Point>(2 * buckets);
        int index = 0;
        for (int bucket = 0; bucket < buckets && index < points.size(); bucket++) {
            long end = first + span * (bucket + 1) / buckets;
            Point low = null;
            Point high = null;
            while (index < points.size() && (points.get(index).at() < end || bucket == buckets - 1)) {
                Point p = points.get(index++);
                if (low == null || p.value() < low.value()) {
                    low = p;
                }
                if (high == null || p.value() > high.value()) {
                    high = p;
                }
            }
            if (low == null || high == null) {
                continue; // both are set together: an empty bucket
            }
            if (low == high) {
                result.add(low);
            } else if (low.at() <= high.at()) {
                result.add(low);
                result.add(high);
            } else {
                result.add(high);
                result.add(low);
            }
        }
        return result;
    }
}
