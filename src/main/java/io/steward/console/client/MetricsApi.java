package io.steward.console.client;

import io.steward.server.api.Endpoint;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.SeriesPoints;
import java.util.List;

/** The series the server samples each second, and their history. */
public final class MetricsApi {
    private final Transport transport;

    MetricsApi(Transport transport) {
        this.transport = transport;
    }

    /** {@code GET /api/v1/metrics}. */
    public record Catalog(List<MetricSeries> series) {}

    public List<MetricSeries> catalog() {
        return transport.send(ApiCall.of(Endpoint.METRICS, Catalog.class)).series();
    }

    /** One series over {@code 5m}, {@code 1h} or {@code 24h}. */
    public SeriesPoints series(String name, String window) {
        return transport.send(ApiCall.of(Endpoint.METRIC_SERIES, SeriesPoints.class)
                .query("name", name)
                .query("window", window));
    }
}
