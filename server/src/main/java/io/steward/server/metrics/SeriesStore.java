package io.steward.server.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last hour of every series at one point per second and the last day at one point per
 * minute (the mean of that minute's seconds), in fixed arrays allocated up front: memory does
 * not grow with uptime. The bound is {@link #bytesPerSeries()} per series plus the shared clock
 * rings; with the {@value #MAX_SERIES}-series cap, at most {@link #boundBytes()}.
 */
public final class SeriesStore {
    public static final int SECONDS = 3_600;
    public static final int MINUTES = 1_440;
    public static final int MAX_SERIES = 256;

    private final long[] secondStamp = new long[SECONDS];
    private final long[] minuteStamp = new long[MINUTES];
    private final Map<String, Rings> series = new LinkedHashMap<>();
    private long currentMinute = Long.MIN_VALUE;

    private static final class Rings {
        final double[] seconds = new double[SECONDS];
        final double[] minutes = new double[MINUTES];
        double minuteSum;
        int minuteCount;

        Rings() {
            Arrays.fill(seconds, Double.NaN);
            Arrays.fill(minutes, Double.NaN);
        }
    }

    /** One stored value at an instant. */
    public record Point(Instant at, double value) {}

    public SeriesStore() {
        Arrays.fill(secondStamp, Long.MIN_VALUE);
        Arrays.fill(minuteStamp, Long.MIN_VALUE);
    }

    /** What one series can hold at most, in bytes: two rings of doubles. */
    public static long bytesPerSeries() {
        return (long) (SECONDS + MINUTES) * Double.BYTES;
    }

    /** The whole store at its cap: every series full, plus the shared time stamps. */
    public static long boundBytes() {
        return MAX_SERIES * bytesPerSeries() + (long) (SECONDS + MINUTES) * Long.BYTES;
    }

    /** Declares a series; values for undeclared names are refused. */
    public synchronized void declare(String name) {
        if (!series.containsKey(name)) {
            if (series.size() >= MAX_SERIES) {
                throw new IllegalStateException("the series store holds at most " + MAX_SERIES + " series");
            }
            series.put(name, new Rings());
        }
    }

    public synchronized List<String> names() {
        return List.copyOf(series.keySet());
    }

    /**
     * Records one sample of every series for the second {@code epochSecond}; a series missing
     * from {@code values} (or NaN) has a gap there. Seconds must not go backwards.
     */
    public synchronized void record(long epochSecond, Map<String, Double> values) {
        long minute = Math.floorDiv(epochSecond, 60);
        if (minute != currentMinute) {
            closeMinute();
            currentMinute = minute;
        }
        int slot = (int) Math.floorMod(epochSecond, SECONDS);
        secondStamp[slot] = epochSecond;
        for (var entry : series.entrySet()) {
            Double v = values.get(entry.getKey());
            double value = v == null ? Double.NaN : v;
            Rings rings = entry.getValue();
            rings.seconds[slot] = value;
            if (!Double.isNaN(value)) {
                rings.minuteSum += value;
                rings.minuteCount++;
            }
        }
        // the minute so far is readable at once; it is rewritten until the minute ends
        int minuteSlot = (int) Math.floorMod(minute, MINUTES);
        minuteStamp[minuteSlot] = minute;
        for (Rings rings : series.values()) {
            rings.minutes[minuteSlot] = rings.minuteCount == 0 ? Double.NaN : rings.minuteSum / rings.minuteCount;
        }
    }

    private void closeMinute() {
        for (Rings rings : series.values()) {
            rings.minuteSum = 0;
            rings.minuteCount = 0;
        }
    }

    /**
     * The points of {@code name} from {@code fromEpochSecond} (inclusive) to {@code toEpochSecond}
     * (inclusive), oldest first: per second within the last hour, else per minute. Gaps are left
     * out.
     */
    public synchronized List<Point> points(String name, long fromEpochSecond, long toEpochSecond, boolean perMinute) {
        Rings rings = series.get(name);
        var points = new ArrayList<Point>();
        if (rings == null) {
            return points;
        }
        if (!perMinute) {
            for (long s = Math.max(fromEpochSecond, toEpochSecond - SECONDS + 1); s <= toEpochSecond; s++) {
                int slot = (int) Math.floorMod(s, SECONDS);
                if (secondStamp[slot] == s && !Double.isNaN(rings.seconds[slot])) {
                    points.add(new Point(Instant.ofEpochSecond(s), rings.seconds[slot]));
                }
            }
            return points;
        }
        long toMinute = Math.floorDiv(toEpochSecond, 60);
        for (long m = Math.max(Math.floorDiv(fromEpochSecond, 60), toMinute - MINUTES + 1); m <= toMinute; m++) {
            int slot = (int) Math.floorMod(m, MINUTES);
            if (minuteStamp[slot] == m && !Double.isNaN(rings.minutes[slot])) {
                points.add(new Point(Instant.ofEpochSecond(m * 60), rings.minutes[slot]));
            }
        }
        return points;
    }
}
