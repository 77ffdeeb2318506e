package io.steward.server.health;

import io.steward.server.api.HealthChange;
import io.steward.server.api.HealthReport;
import io.steward.server.api.Page;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.outbound.Guard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of health checks. They run concurrently, each within its own timeout; the report
 * is cached for a moment so that many consoles polling cost one round of checks. The server runs
 * them on its own every interval, so changes are noticed (and pushed, and stored in
 * {@code health_history}) even when nobody asks. Changes that cannot be stored because the
 * database is down are kept, with their own times, until it is back.
 */
public final class HealthService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);
    /** Changes waiting for the database; beyond this the oldest are dropped (and logged). */
    static final int MAX_PENDING_CHANGES = 10_000;

    public static final String OVERALL = "overall";

    private final Database db;
    private final HealthRepository repository;
    private final List<HealthCheck> checks;
    private final List<Guard> guards;
    private final Clock clock;
    private final Duration cacheFor;
    private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-health").daemon().factory());
    private final List<Consumer<HealthReport>> listeners = new CopyOnWriteArrayList<>();
    private final Object runLock = new Object();
    private final Map<String, String> lastStatus = new HashMap<>();
    private final Deque<HealthChange> pending = new ArrayDeque<>();
    private volatile @Nullable HealthReport last;
    private volatile long lastAtNanos;
    /** This instance's stretch of observed time in {@code health_coverage}. */
    private final java.util.UUID coverage = java.util.UUID.randomUUID();

    public HealthService(
            Database db,
            HealthRepository repository,
            List<HealthCheck> checks,
            List<Guard> guards,
            Clock clock,
            Duration cacheFor) {
        this.db = db;
        this.repository = repository;
        this.checks = List.copyOf(checks);
        this.guards = List.copyOf(guards);
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /** Runs the checks every {@code interval} from now on. */
    public void start(Duration interval) {
        ticker.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called with the new report whenever the overall status or any check's status changes. */
    public void onChange(Consumer<HealthReport> listener) {
        listeners.add(listener);
    }

    /** The report, from the cache when it is fresh enough, else from a new round of checks. */
    public HealthReport report() {
        HealthReport cached = fresh();
        if (cached != null) {
            return cached;
        }
        synchronized (runLock) {
            // whoever waited on the lock gets the round that just finished
            cached = fresh();
            return cached != null ? cached : runChecks();
        }
    }

    /** The last report without running anything; null before the first round. */
    public @Nullable HealthReport latest() {
        return last;
    }

    private @Nullable HealthReport fresh() {
        HealthReport cached = last;
        return cached != null && System.nanoTime() - lastAtNanos < cacheFor.toNanos() ? cached : null;
    }

    private void refreshQuietly() {
        try {
            synchronized (runLock) {
                runChecks();
            }
        } catch (RuntimeException e) {
            LOG.warn("health checks failed to run", e);
        }
    }

    private HealthReport runChecks() {
        Instant at = clock.instant();
        Map<String, Future<HealthReport.Check>> running = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            running.put(check.name(), runner.submit(() -> timed(check)));
        }
        Map<String, HealthReport.Check> results = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            results.put(check.name(), outcome(check, java.util.Objects.requireNonNull(running.get(check.name()))));
        }
        Map<String, HealthReport.Breaker> breakers = new LinkedHashMap<>();
        breakers.put("database", Guard.report(db.breaker()));
        guards.forEach(g -> breakers.put(g.name(), g.report()));
        var report = new HealthReport(overall(results), at, results, breakers);
        last = report;
        lastAtNanos = System.nanoTime();
        recordChanges(report);
        return report;
    }

    private static HealthReport.Check timed(HealthCheck check) throws Exception {
        long started = System.nanoTime();
        HealthCheck.Result result = check.run();
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new HealthReport.Check(result.status(), millis, check.essential(), result.details());
    }

    private static HealthReport.Check outcome(HealthCheck check, Future<HealthReport.Check> future) {
        long started = System.nanoTime();
        try {
            return future.get(check.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new HealthReport.Check(
                    "DOWN",
                    check.timeout().toMillis(),
                    check.essential(),
                    Map.of("error", "no answer within " + check.timeout().toMillis() + " ms"));
        } catch (ExecutionException e) {
            LOG.warn("health check {} failed", check.name(), e.getCause());
            return new HealthReport.Check(
                    "DOWN",
                    (System.nanoTime() - started) / 1_000_000,
                    check.essential(),
                    Map.of("error", "the check itself failed; see the server log"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthReport.Check("DOWN", 0, check.essential(), Map.of("error", "interrupted"));
        }
    }

    /** DOWN only when an essential check is down; DEGRADED when anything else is not UP. */
    static String overall(Map<String, HealthReport.Check> checks) {
        boolean essentialDown = checks.values().stream()
                .anyMatch(c -> c.essential() && c.status().equals("DOWN"));
        if (essentialDown) {
            return "DOWN";
        }
        return checks.values().stream().allMatch(c -> c.status().equals("UP")) ? "UP" : "DEGRADED";
    }

    private void recordChanges(HealthReport report) {
        var changes = new ArrayList<HealthChange>();
        report.checks().forEach((name, check) -> {
            if (!check.status().equals(lastStatus.put(name, check.status()))) {
                changes.add(new HealthChange(
                        0, report.timestamp(), name, check.status(), check.latencyMs(), check.details()));
            }
        });
        if (!report.status().equals(lastStatus.put(OVERALL, report.status()))) {
            changes.add(new HealthChange(0, report.timestamp(), OVERALL, report.status(), 0, Map.of()));
        }
        pending.addAll(changes);
        // with the database away, storing waits until it is back (the next round's stretch then
        // covers the outage): a round never waits on a database that is not answering
        var database = report.checks().get("database");
        if (database != null && database.status().equals("DOWN") && pending.isEmpty()) {
            return;
        }
        while (pending.size() > MAX_PENDING_CHANGES) {
            HealthChange dropped = pending.removeFirst();
            LOG.warn(
                    "health history full while the database is away; dropped the change of {} at {}",
                    dropped.check(),
                    dropped.at());
        }
        try {
            var batch = List.copyOf(pending);
            db.inTransaction(tx -> {
                if (!batch.isEmpty()) {
                    repository.insert(tx, batch);
                }
                // this round was observed: the stretch of known time reaches it
                repository.cover(tx, coverage, report.timestamp());
                return null;
            });
            pending.clear();
        } catch (RuntimeException e) {
            if (!pending.isEmpty()) {
                LOG.info("health changes kept until the database answers again ({} waiting)", pending.size());
            }
        }
        if (!changes.isEmpty()) {
            changes.forEach(c -> LOG.info("health: {} is now {}", c.check(), c.status()));
            listeners.forEach(l -> l.accept(report));
        }
    }

    /** Recorded changes, newest first. */
    public Page<HealthChange> history(HealthRepository.Query query, int limit, @Nullable Keyset after) {
        List<HealthChange> rows = db.read(tx -> repository.list(tx, query, limit + 1, after));
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        var page = rows.subList(0, limit);
        HealthChange lastRow = page.getLast();
        return new Page<>(
                List.copyOf(page), Keyset.of(lastRow.at(), lastRow.id()).encode());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        runner.shutdownNow();
        // the stretch of observed time ends now, not at the last round
        if (last != null) {
            try {
                db.inTransaction(tx -> {
                    repository.cover(tx, coverage, clock.instant());
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.debug("the end of the observed time not recorded: {}", e.getMessage());
            }
        }
    }
}
