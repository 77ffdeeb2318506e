package io.steward.server.api;

import java.time.Instant;
import java.util.List;

/**
 * The points of one series over a window, oldest first, {@code stepSeconds} apart (1 for the
 * 5 m and 1 h windows, 60 for 24 h); seconds with no value are left out.
 */
public record SeriesPoints(String name, String unit, String window, int stepSeconds, List<Point> points) {
    public record Point(Instant at, double value) {}
}
