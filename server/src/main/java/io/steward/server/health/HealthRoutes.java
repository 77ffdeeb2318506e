package io.steward.server.health;

import io.steward.server.api.Endpoint;
import io.steward.server.api.HealthStatus;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The full health report for staff ({@code /api/v1/health}) and its recorded changes; and the
 * probes for load balancers and orchestrators: {@code /health/live} says the process serves
 * HTTP; {@code /health/ready} says it can do useful work, i.e. the database answers in time.
 */
public final class HealthRoutes {
    /**
     * A database that cannot answer {@code SELECT 1} within a second is not one to send traffic
     * to; with this bound readiness turns 503 within two seconds of an outage.
     */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(1);

    private final Database db;
    private final HealthService health;
    private final Clock clock;

    public HealthRoutes(Database db, HealthService health, Clock clock) {
        this.db = db;
        this.health = health;
        this.clock = clock;
    }

    public void register(Router router) {
        router.handle(Endpoint.HEALTH_LIVE, ex -> ex.ok(new HealthStatus("UP", clock.instant(), Map.of())))
                .handle(Endpoint.HEALTH_READY, this::ready)
                .handle(Endpoint.HEALTH, ex -> ex.ok(health.report()))
                .handle(Endpoint.HEALTH_HISTORY, this::history);
    }

    private void history(Exchange ex) {
        var period = ex.period();
        var query = new HealthRepository.Query(ex.query("check"), period.from(), period.to());
        int limit = ex.limit();
        ex.ok(health.history(
                query, limit, ex.query("cursor").map(Keyset::decode).orElse(null)));
    }

    private void ready(Exchange ex) {
        long started = System.nanoTime();
        boolean up = db.ping(READY_TIMEOUT);
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        String status = up ? "UP" : "DOWN";
        var check = new HealthStatus.Check(status, latencyMs, Map.of());
        ex.json(up ? 200 : 503, new HealthStatus(status, clock.instant(), Map.of("database", check)));
    }
}
