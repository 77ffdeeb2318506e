package io.steward.server.metrics;

import io.steward.server.api.MetricSeries;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every declared series once a second into the {@link SeriesStore} and hands the
 * snapshot to its listeners (alert rules, the live event stream). A series is a gauge read as
 * it is, a rate derived from a running total, or the ratio of two totals over a sliding window.
 */
public final class MetricsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);

    private final SeriesStore store;
    private final Clock clock;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-metrics").daemon().factory());
    private volatile Snapshot last;

    /** Every series' value at one second; NaN where a series had none. */
    public record Snapshot(Instant at, Map<String, Double> values) {
        public double value(String name) {
            Double v = values.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    private interface Source {
        MetricSeries info();

        double sample(long epochSecond);
    }

    public MetricsSampler(SeriesStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.last = new Snapshot(clock.instant(), Map.of());
    }

    /** A value read as it is each second. */
    public void gauge(MetricSeries info, DoubleSupplier value) {
        add(new Source() {
            @Override
            public MetricSeries info() {
                return info;
            }

            @Override
            public double sample(long epochSecond) {
                return value.getAsDouble();
            }
        });
    }

    /** The increase of a running total per second, times {@code scale} (3600 for "per hour"). */
    public void rate(MetricSeries info, LongSupplier total, double scale) {
        add(new Source() {
            private long previousTotal = total.getAsLong();
            private long previousSecond = Long.MIN_VALUE;

            @Override
            public MetricSeries info() {
                return info;
            }

            @Override
            public double sample(long epochSecond) {
                long now = total.getAsLong();
                double rate = previousSecond == Long.MIN_VALUE || epochSecond <= previousSecond
                        ? Double.NaN
                        : (now - previousTotal) * scale / (epochSecond - previousSecond);
                previousTotal = now;
                previousSecond = epochSecond;
                return rate;
            }
        });
    }

    /**
     * What share of {@code denominator}'s increase over the last {@code windowSeconds} was
     * {@code numerator}'s, 0 to 1; 0 when the denominator did not move.
     */
    public void ratio(MetricSeries info, LongSupplier numerator, LongSupplier denominator, int windowSeconds) {
        add(new Source() {
            private final long[] nums = new long[windowSeconds + 1];
            private final long[] dens = new long[windowSeconds + 1];
            private int samples;

            @Override
            public MetricSeries info() {
                return info;
            }

            @Override
            public double sample(long epochSecond) {
                int slot = samples % nums.length;
                nums[slot] = numerator.getAsLong();
                dens[slot] = denominator.getAsLong();
                int oldest = samples < nums.length ? 0 : (samples + 1) % nums.length;
                samples++;
                long den = dens[slot] - dens[oldest];
                return den <= 0 ? 0 : (double) (nums[slot] - nums[oldest]) / den;
            }
        });
    }

    private void add(Source source) {
        store.declare(source.info().name());
        sources.add(source);
    }

    /** What each series is, in declaration order. */
    public List<MetricSeries> series() {
        var infos = new ArrayList<MetricSeries>();
        sources.forEach(s -> infos.add(s.info()));
        return infos;
    }

    public void onSample(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public Snapshot last() {
        return last;
    }

    /** Starts sampling at the start of every second. */
    public void start() {
        long delay = 1_000 - clock.millis() % 1_000;
        ticker.scheduleAtFixedRate(this::sampleQuietly, delay, 1_000, TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a failing series must not stop the clock of all the others
            LOG.warn("metrics sampling failed", e);
        }
    }

    /** Takes one sample of every series now (the ticker calls this each second). */
    public synchronized Snapshot sample() {
        Instant at = clock.instant();
        long second = at.getEpochSecond();
        var values = new LinkedHashMap<String, Double>();
        for (Source source : sources) {
            double value;
            try {
                value = source.sample(second);
            } catch (RuntimeException e) {
                LOG.debug("series {} could not be sampled", source.info().name(), e);
                value = Double.NaN;
            }
            values.put(source.info().name(), value);
        }
        store.record(second, values);
        var snapshot = new Snapshot(Instant.ofEpochSecond(second), java.util.Collections.unmodifiableMap(values));
        last = snapshot;
        for (Consumer<Snapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("a metrics listener failed", e);
            }
        }
        return snapshot;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
