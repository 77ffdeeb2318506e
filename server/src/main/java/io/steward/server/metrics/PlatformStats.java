package io.steward.server.metrics;

import io.steward.server.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures about the platform that live in its tables, not in this process: registrations in the
 * last hour, open and overdue data-subject requests. Counted in the database every
 * {@link #REFRESH}, off the sampling thread, so a slow database never stalls the metrics clock.
 */
public final class PlatformStats implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformStats.class);
    static final Duration REFRESH = Duration.ofSeconds(15);

    private final Database db;
    private final PlatformStatsRepository repository;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("steward-platform-stats").factory());
    private volatile PlatformStatsRepository.Counts counts = PlatformStatsRepository.Counts.UNKNOWN;

    public PlatformStats(Database db, PlatformStatsRepository repository, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.clock = clock;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts now, synchronously. */
    public void refresh() {
        try {
            counts = db.read(tx -> repository.counts(tx, clock.instant()));
        } catch (RuntimeException e) {
            LOG.debug("platform figures not refreshed: {}", e.getMessage());
        }
    }

    public PlatformStatsRepository.Counts counts() {
        return counts;
    }

    /** Offers the figures to Prometheus as gauges. */
    public void bindTo(Metrics metrics) {
        metrics.gauge(
                "steward.gdpr.requests.open",
                "Data-subject requests not yet completed or rejected",
                () -> counts.gdprOpen());
        metrics.gauge(
                "steward.gdpr.requests.overdue",
                "Open data-subject requests past their deadline",
                () -> counts.gdprOverdue());
        metrics.gauge(
                "steward.platform.registrations.last.hour",
                "Platform users who registered in the last hour",
                () -> counts.registrationsLastHour());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
