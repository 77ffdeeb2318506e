package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code GET /api/v1/system}: what is running and on which database. */
public record SystemInfo(
        String version,
        Instant startedAt,
        long uptimeSeconds,
        String mode,
        Database database,
        List<Migration> migrations,
        Runtime runtime,
        Cluster cluster) {

    /**
     * The database the server uses; {@code url} never includes credentials. {@code role} is the
     * role it works as; {@code historyProtected} says that role cannot change or delete audit
     * entries (false only for a superuser or the owner, started with {@code --allow-superuser}).
     */
    public record Database(
            String product, String version, String url, String role, boolean superuser, boolean historyProtected) {}

    /**
     * The Java runtime. {@code classSharing} says whether the JVM started from a class-sharing
     * archive: for the installed image, its start-up cache (slower starts without it).
     */
    public record Runtime(String java, boolean classSharing) {}

    /**
     * This instance among those sharing the database: its name, whether it leads (evaluates alerts
     * and runs the daily jobs), and the read replica it sends reports and searches to, if any
     * (without credentials).
     */
    public record Cluster(
            String instance, boolean leader, @Nullable String readReplica) {}

    /** One applied Flyway migration. */
    public record Migration(
            String version, String description, @Nullable Integer checksum, Instant installedOn, boolean success) {}
}
