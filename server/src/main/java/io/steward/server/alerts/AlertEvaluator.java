package io.steward.server.alerts;

import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.db.Database;
import io.steward.server.metrics.MetricsSampler;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on each second's metrics snapshot ({@link AlertTransitions}), on a
 * thread of its own, on the instance that leads. An instance that does not lead keeps count of
 * the alerts the leader says are firing, so that every instance's {@code alerts.firing} agrees.
 */
public final class AlertEvaluator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final Database db;
    private final AlertRepository repository;
    private final AlertTransitions transitions;
    private final ExecutorService evaluator = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("steward-alerts").factory());
    private final AtomicReference<MetricsSampler.@Nullable Snapshot> next = new AtomicReference<>();
    // on an instance that does not lead: the rules the leader says are firing
    private final Set<UUID> firingElsewhere = ConcurrentHashMap.newKeySet();
    private volatile boolean leading;

    /** {@code notifier}: where firing and resolved alerts are sent, if anywhere. */
    public AlertEvaluator(
            Database db,
            AlertRepository repository,
            SilenceRepository silenceRepository,
            @Nullable AlertNotifier notifier) {
        this.db = db;
        this.repository = repository;
        this.transitions = new AlertTransitions(db, repository, silenceRepository, notifier);
    }

    /** Called with {@code (state, alert)} on every change of an alert's state. */
    public void onChange(BiConsumer<AlertState, AlertView> listener) {
        transitions.onChange(listener);
    }

    /** Rules or silences changed (here or through another instance): read them again. */
    public void reloadRules() {
        transitions.reload();
    }

    /**
     * Whether this instance evaluates the rules. Either way the state held here is dropped: a new
     * leader picks up the open alerts from the database, and one that stops leaves what it could
     * not store to the next, which re-derives it from its own samples.
     */
    public void lead(boolean leading) {
        this.leading = leading;
        try {
            evaluator.execute(() -> {
                transitions.reset();
                if (!leading) {
                    catchUp();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("alerts closed; leadership change ({}) ignored", leading);
        }
    }

    /** An alert change the leader announced (on another instance). */
    public void heard(AlertView alert) {
        if (alert.state() == AlertState.FIRING) {
            firingElsewhere.add(alert.ruleId());
        } else {
            firingElsewhere.remove(alert.ruleId());
        }
    }

    /** Reads again what may have been missed: the rules, and the alerts firing now. */
    public void catchUp() {
        transitions.reload();
        if (leading) {
            return;
        }
        try {
            var firing = db.read(repository::active).stream()
                    .filter(a -> a.state() == AlertState.FIRING)
                    .map(AlertView::ruleId)
                    .toList();
            firingElsewhere.clear();
            firingElsewhere.addAll(firing);
        } catch (RuntimeException e) {
            LOG.debug("alerts firing not read: {}", e.getMessage());
        }
    }

    /**
     * Hands a snapshot to the evaluation thread, so that the metrics clock never waits for the
     * database (alerts are stored as they change). While an evaluation is still running, only the
     * newest waiting snapshot is kept: {@code forSeconds} is measured in time, not in snapshots.
     */
    public void offer(MetricsSampler.Snapshot snapshot) {
        if (next.getAndSet(snapshot) == null) {
            evaluator.execute(() -> {
                var newest = next.getAndSet(null);
                if (newest != null) {
                    transitions.evaluate(newest);
                }
            });
        }
    }

    /** Number of alerts firing now (a metric series of its own). */
    public long firingCount() {
        return leading ? transitions.firingCount() : firingElsewhere.size();
    }

    @Override
    public void close() {
        evaluator.shutdownNow();
    }
}
