package io.steward.server.health;

import io.steward.server.api.HealthStatus;
import io.steward.server.db.Database;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Probes for load balancers and orchestrators: {@code /health/live} says the process serves
 * HTTP; {@code /health/ready} says it can do useful work, i.e. the database answers in time.
 */
public final class HealthRoutes {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

    private final Database db;
    private final Clock clock;

    public HealthRoutes(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void register(Router router) {
        router.handle("GET", "/health/live", ex -> ex.ok(new HealthStatus("UP", clock.instant(), Map.of())))
                .handle("GET", "/health/ready", this::ready);
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
