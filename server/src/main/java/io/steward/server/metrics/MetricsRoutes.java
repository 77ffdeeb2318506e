package io.steward.server.metrics;

import io.steward.server.api.Endpoint;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.SeriesPoints;
import io.steward.server.error.ServiceException;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code /metrics} for Prometheus; {@code /api/v1/metrics} (what series exist) and
 * {@code /api/v1/metrics/series} (one series over 5 m, 1 h or 24 h) for the console.
 */
public final class MetricsRoutes {
    private static final Map<String, Integer> WINDOWS = Map.of("5m", 300, "1h", 3_600, "24h", 86_400);

    private final Metrics metrics;
    private final MetricsSampler sampler;
    private final SeriesStore store;
    private final Clock clock;

    public MetricsRoutes(Metrics metrics, MetricsSampler sampler, SeriesStore store, Clock clock) {
        this.metrics = metrics;
        this.sampler = sampler;
        this.store = store;
        this.clock = clock;
    }

    public void register(Router router) {
        router.handle(Endpoint.PROMETHEUS, ex -> ex.text("text/plain; version=0.0.4; charset=utf-8", metrics.scrape()))
                .handle(Endpoint.METRICS, ex -> ex.ok(Map.of("series", sampler.series())))
                .handle(Endpoint.METRIC_SERIES, this::series);
    }

    private void series(Exchange ex) {
        String name = ex.query("name")
                .orElseThrow(
                        () -> new ServiceException.Validation("name", "name is required: one of GET /api/v1/metrics"));
        MetricSeries info = sampler.series().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ServiceException.Validation(
                        "name", "no series named " + truncate(name) + "; see GET /api/v1/metrics"));
        String window = ex.query("window").orElse("5m");
        Integer seconds = WINDOWS.get(window);
        if (seconds == null) {
            throw new ServiceException.Validation("window", "window must be 5m, 1h or 24h");
        }
        long now = clock.instant().getEpochSecond();
        boolean perMinute = seconds > SeriesStore.SECONDS;
        List<SeriesPoints.Point> points = store.points(name, now - seconds + 1, now, perMinute).stream()
                .map(p -> new SeriesPoints.Point(p.at(), p.value()))
                .toList();
        ex.ok(new SeriesPoints(name, info.unit(), window, perMinute ? 60 : 1, points));
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
