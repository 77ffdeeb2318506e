package io.steward.server.metrics;

import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.http.Router;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Metrics wired: the Prometheus meters (the database's queries and the audit trail's business
 * events counted), the platform's figures, the once-a-second sampler of the standard series (each
 * sample an event on the live streams, saying which instance measured it) and the routes. Other
 * parts declare their own series on {@link #sampler}.
 */
public record MetricsModule(
        Metrics metrics, PlatformStats platformStats, SeriesStore store, MetricsSampler sampler, MetricsRoutes routes) {

    /** {@code wall}: the clock the samples are taken on, whatever the business clock says. */
    public static MetricsModule wire(
            Database db,
            AuditService audit,
            Clock clock,
            Clock wall,
            StandardSeries.Sources sources,
            EventHub events,
            Supplier<String> instance) {
        var metrics = new Metrics();
        metrics.instrument(db);
        metrics.countBusinessEvents(audit);
        var platformStats = new PlatformStats(db, new PlatformStatsRepository(), clock);
        platformStats.bindTo(metrics);
        var store = new SeriesStore();
        var sampler = new MetricsSampler(store, wall);
        StandardSeries.declare(sampler, metrics, db, platformStats, sources);
        sampler.onSample(snapshot -> events.publish("metrics", compact(snapshot, instance.get())));
        return new MetricsModule(
                metrics, platformStats, store, sampler, new MetricsRoutes(metrics, sampler, store, wall));
    }

    /** The once-a-second stream event: every series' value, null where it has none, and who measured them. */
    private static Map<String, Object> compact(MetricsSampler.Snapshot snapshot, String instance) {
        var values = new LinkedHashMap<String, @Nullable Double>();
        snapshot.values().forEach((name, value) -> values.put(name, Double.isFinite(value) ? value : null));
        var event = new LinkedHashMap<String, Object>();
        event.put("at", snapshot.at());
        event.put("instance", instance);
        event.put("values", values);
        return event;
    }

    /** Starts counting the platform's figures and sampling. */
    public void start() {
        platformStats.start();
        sampler.start();
    }

    public void register(Router router) {
        routes.register(router);
    }
}
