package io.steward.server.system;

import io.steward.server.api.Endpoint;
import io.steward.server.api.SystemInfo;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code GET /api/v1/system}: version, uptime, mode, database and applied migrations. */
public final class SystemRoutes {
    private final Database db;
    private final Clock clock;
    private final Instant startedAt;
    private final java.util.function.Supplier<SystemInfo.Cluster> cluster;

    public SystemRoutes(Database db, Clock clock, java.util.function.Supplier<SystemInfo.Cluster> cluster) {
        this.db = db;
        this.clock = clock;
        this.cluster = cluster;
        this.startedAt = clock.instant();
    }

    public void register(Router router) {
        router.handle(Endpoint.SYSTEM, ex -> ex.ok(info()));
    }

    SystemInfo info() {
        Instant now = clock.instant();
        return new SystemInfo(
                version(),
                startedAt,
                Math.max(0, Duration.between(startedAt, now).toSeconds()),
                db.embedded() ? "embedded" : "external",
                database(),
                db.appliedMigrations(),
                new SystemInfo.Runtime(
                        java.lang.Runtime.version().toString(),
                        System.getProperty("java.vm.info", "").contains("sharing")),
                cluster.get());
    }

    private SystemInfo.Database database() {
        var access = db.access();
        return new SystemInfo.Database(
                "PostgreSQL",
                db.serverVersion(),
                db.displayUrl(),
                access.role(),
                access.superuser(),
                access.historyProtected());
    }

    /** The version written into the jar's manifest at build time. */
    public static String version() {
        String v = SystemRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
