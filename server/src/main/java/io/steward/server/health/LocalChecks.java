package io.steward.server.health;

import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.metrics.StandardSeries;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The checks of the server's own parts: its database, the embedded PostgreSQL process, disk and memory. */
public final class LocalChecks {
    /** Below this share of free space, or {@link #LOW_DISK_BYTES}, the data folder's disk is low. */
    static final double LOW_DISK_SHARE = 0.05;

    static final long LOW_DISK_BYTES = 512L * 1024 * 1024;
    /** Heap use above this share of the maximum counts as memory pressure. */
    static final double HIGH_HEAP_SHARE = 0.90;

    private LocalChecks() {}

    private record Check(String name, boolean essential, Duration timeout, Body body) implements HealthCheck {
        @Override
        public Result run() throws Exception {
            return body.run();
        }
    }

    @FunctionalInterface
    private interface Body {
        HealthCheck.Result run() throws Exception;
    }

    /** The database answers a trivial query; its round trip is the check's latency. */
    public static HealthCheck database(Database db, Duration timeout) {
        return new Check("database", true, timeout, () -> {
            var pool = db.poolStats();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", db.embedded() ? "embedded" : "external");
            details.put("poolActive", pool.active());
            details.put("poolIdle", pool.idle());
            details.put("poolPending", pool.pending());
            details.put("poolMax", pool.max());
            if (db.ping(timeout)) {
                return HealthCheck.Result.up(details);
            }
            details.put("error", "the database did not answer within " + timeout.toMillis() + " ms");
            return HealthCheck.Result.down(details);
        });
    }

    /** The PostgreSQL process the server runs itself is alive. */
    public static HealthCheck embeddedProcess(Path dataDir) {
        return new Check("embedded-database-process", true, Duration.ofSeconds(1), () -> {
            Optional<Long> pid = EmbeddedDatabase.postmasterPid(dataDir);
            Map<String, Object> details = new LinkedHashMap<>();
            pid.ifPresent(p -> details.put("pid", p));
            boolean alive =
                    pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
            if (alive) {
                return HealthCheck.Result.up(details);
            }
            details.put("error", pid.isEmpty() ? "no postmaster.pid in the data folder" : "the process is gone");
            return HealthCheck.Result.down(details);
        });
    }

    /** Free space on the data folder's file system. */
    public static HealthCheck diskSpace(Path dataDir) {
        return new Check("disk-space", false, Duration.ofSeconds(1), () -> {
            Path existing = dataDir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return HealthCheck.Result.down(Map.of("error", "the data folder's file system cannot be found"));
            }
            try {
                var store = Files.getFileStore(existing);
                long free = store.getUsableSpace();
                long total = store.getTotalSpace();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("path", dataDir.toString());
                details.put("freeBytes", free);
                details.put("totalBytes", total);
                details.put("freePercent", total == 0 ? 0 : Math.round(free * 1000.0 / total) / 10.0);
                boolean low = free < LOW_DISK_BYTES || (total > 0 && free < total * LOW_DISK_SHARE);
                return low ? HealthCheck.Result.degraded(details) : HealthCheck.Result.up(details);
            } catch (IOException e) {
                return HealthCheck.Result.down(Map.of("error", "cannot read free space: " + e.getMessage()));
            }
        });
    }

    /** The JVM's heap use against its maximum. */
    public static HealthCheck memory() {
        return new Check("memory", false, Duration.ofSeconds(1), () -> {
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            double share = StandardSeries.heapUsedShare();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("heapUsedBytes", heap.getUsed());
            details.put(
                    "heapMaxBytes",
                    heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory());
            details.put("heapUsedPercent", Math.round(share * 1000) / 10.0);
            return share > HIGH_HEAP_SHARE ? HealthCheck.Result.degraded(details) : HealthCheck.Result.up(details);
        });
    }
}
