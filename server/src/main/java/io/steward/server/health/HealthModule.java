package io.steward.server.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.ServerConfig;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.http.Router;
import io.steward.server.outbound.Guard;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Health wired: the local checks (database, the embedded server's process, disk, memory), one per
 * {@code --dependency} behind a breaker of its own, the service that runs them (its changes reach
 * the live streams) and its routes.
 */
public record HealthModule(HealthService service, HealthRoutes routes) {
    private static final Duration CACHE = Duration.ofSeconds(1);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(2);

    /** {@code guards}: the breakers of other parts (the alert webhook's) that the report shows too. */
    public static HealthModule wire(
            ServerConfig config,
            Database db,
            ObjectMapper mapper,
            Clock clock,
            Clock wall,
            List<Guard> guards,
            EventHub events) {
        var all = new ArrayList<>(guards);
        var checks = checks(config, db, all);
        var health = new HealthService(db, new HealthRepository(mapper), checks, all, wall, CACHE);
        health.onChange(report -> events.publish("health", report));
        return new HealthModule(health, new HealthRoutes(db, health, clock));
    }

    /** The checks; each dependency's breaker is added to {@code guards}. */
    private static List<HealthCheck> checks(ServerConfig config, Database db, List<Guard> guards) {
        var checks = new ArrayList<HealthCheck>();
        checks.add(LocalChecks.database(db, DB_TIMEOUT));
        if (db.embedded()) {
            checks.add(LocalChecks.embeddedProcess(config.dataDir()));
        }
        checks.add(LocalChecks.diskSpace(config.dataDir()));
        checks.add(LocalChecks.memory());
        if (config.dependencies().isEmpty()) {
            return checks;
        }
        // built only when needed: an HTTP client loads the TLS stack and the CA certificates
        var http = HttpClient.newBuilder()
                .connectTimeout(DependencyCheck.ATTEMPT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var settings = Guard.Settings.defaults().withWaitInOpen(Duration.ofSeconds(config.breakerWaitSeconds()));
        for (ServerConfig.Dependency dependency : config.dependencies()) {
            var guard = new Guard("dependency:" + dependency.name(), settings);
            guards.add(guard);
            checks.add(new DependencyCheck(dependency, guard, http));
        }
        return checks;
    }

    public void register(Router router) {
        routes.register(router);
    }
}
