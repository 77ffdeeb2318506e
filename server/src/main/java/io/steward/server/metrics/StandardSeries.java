package io.steward.server.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.steward.server.api.MetricSeries;
import io.steward.server.db.Database;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;

/**
 * The series every Steward server keeps, and that alert rules may watch. Names are stable: they
 * are the vocabulary of alert rules and the console's charts.
 */
public final class StandardSeries {
    private StandardSeries() {}

    /** Where figures owned by other parts of the server come from. */
    public record Sources(
            DoubleSupplier databaseUp,
            DoubleSupplier databaseLatencyMs,
            DoubleSupplier streamClients,
            DoubleSupplier streamDropped) {}

    public static void declare(
            MetricsSampler s, Metrics metrics, Database db, PlatformStats platform, Sources sources) {
        s.rate(info("http.requests.rate", "req/s", "HTTP requests answered per second"), metrics::requestCount, 1);
        s.rate(info("http.errors.rate", "req/s", "HTTP 5xx answers per second"), metrics::serverErrorCount, 1);
        s.ratio(
                info("http.errors.ratio", "ratio", "Share of requests answered 5xx over the last 5 minutes (0 to 1)"),
                metrics::serverErrorCount,
                metrics::requestCount,
                300);
        s.gauge(
                info("http.latency.p50", "ms", "Median request latency over the last minute"),
                () -> metrics.latencyPercentilesMillis()[0]);
        s.gauge(
                info("http.latency.p95", "ms", "95th percentile request latency over the last minute"),
                () -> metrics.latencyPercentilesMillis()[1]);
        s.gauge(
                info("http.latency.p99", "ms", "99th percentile request latency over the last minute"),
                () -> metrics.latencyPercentilesMillis()[2]);
        s.gauge(
                info("http.requests.active", "requests", "Requests being handled (live event streams included)"),
                metrics::activeRequests);

        s.gauge(
                info("db.up", "bool", "1 when the database answered the last health check, else 0"),
                sources.databaseUp());
        s.gauge(info("db.latency", "ms", "Round trip of the last database health check"), sources.databaseLatencyMs());
        s.gauge(
                info("db.pool.active", "connections", "Pool connections in use"),
                () -> db.poolStats().active());
        s.gauge(
                info("db.pool.usage.percent", "%", "Pool connections in use, as a share of the pool's maximum size"),
                () -> {
                    Database.PoolStats pool = db.poolStats();
                    return pool.max() == 0 ? 0 : 100.0 * pool.active() / pool.max();
                });
        s.gauge(
                info("db.pool.idle", "connections", "Pool connections idle"),
                () -> db.poolStats().idle());
        s.gauge(
                info("db.pool.pending", "requests", "Requests waiting for a pool connection"),
                () -> db.poolStats().pending());
        s.gauge(
                info("db.pool.timeouts", "count", "Requests that gave up waiting for a connection, since start"),
                () -> metrics.total("hikaricp.connections.timeout"));
        s.rate(info("db.queries.rate", "queries/s", "SQL statements per second"), metrics::queryCount, 1);
        s.rate(
                info("db.queries.failed.rate", "queries/s", "Failed SQL statements per second"),
                metrics::failedQueryCount,
                1);

        var memory = ManagementFactory.getMemoryMXBean();
        s.gauge(
                info("jvm.heap.used", "bytes", "Java heap in use"),
                () -> memory.getHeapMemoryUsage().getUsed());
        s.gauge(info("jvm.heap.used.percent", "%", "Java heap in use, of its maximum"), () -> heapUsedShare() * 100);
        var threads = ManagementFactory.getThreadMXBean();
        s.gauge(info("jvm.threads.live", "threads", "Live platform threads"), threads::getThreadCount);
        s.rate(
                info("jvm.gc.pause", "ms/s", "Time spent in garbage collection per second"),
                StandardSeries::gcMillis,
                1);
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        s.gauge(
                info("process.cpu", "%", "CPU used by the server process, of all cores"),
                () -> percent(os.getProcessCpuLoad()));
        s.gauge(info("system.cpu", "%", "CPU used on the machine, of all cores"), () -> percent(os.getCpuLoad()));
        s.gauge(
                info("system.memory.used.percent", "%", "Machine memory in use (not counting reclaimable cache)"),
                () -> systemMemoryUsedPercent(os));
        var runtime = ManagementFactory.getRuntimeMXBean();
        s.gauge(info("process.uptime", "s", "Seconds since the server started"), () -> runtime.getUptime() / 1000.0);

        s.rate(
                info("auth.logins.failed.rate", "per min", "Failed staff sign-ins per minute"),
                metrics::loginsFailedCount,
                60);
        s.gauge(
                info("platform.registrations", "per h", "Platform users who registered in the last hour"),
                () -> platform.counts().registrationsLastHour());
        s.gauge(
                info("gdpr.requests.open", "requests", "Data-subject requests not yet completed or rejected"),
                () -> platform.counts().gdprOpen());
        s.gauge(
                info("gdpr.requests.overdue", "requests", "Open data-subject requests past their deadline"),
                () -> platform.counts().gdprOverdue());

        s.gauge(info("events.clients", "clients", "Connected live event streams"), sources.streamClients());
        s.gauge(
                info("events.dropped", "events", "Events dropped for slow stream clients, since start"),
                sources.streamDropped());
    }

    /** Heap in use as a share (0 to 1) of the most the heap may grow to. */
    public static double heapUsedShare() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        return (double) heap.getUsed() / max;
    }

    static MetricSeries info(String name, String unit, String description) {
        return new MetricSeries(name, unit, description);
    }

    private static double percent(double load) {
        return load < 0 ? Double.NaN : load * 100;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Linux's MemAvailable when there is one (the page cache is not "used"), else total minus free. */
    private static double systemMemoryUsedPercent(OperatingSystemMXBean os) {
        long total = os.getTotalMemorySize();
        if (total <= 0) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    long availableKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return 100.0 - availableKb * 1024 * 100.0 / total;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unusual /proc: fall back below
        }
        return 100.0 - os.getFreeMemorySize() * 100.0 / total;
    }
}
