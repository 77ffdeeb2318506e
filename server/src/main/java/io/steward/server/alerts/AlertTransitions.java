package io.steward.server.alerts;

import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.SilenceView;
import io.steward.server.db.Database;
import io.steward.server.metrics.MetricsSampler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every enabled rule through Prometheus' states on each metrics snapshot: the condition
 * starts to hold → {@code pending}; it has held for the rule's {@code forSeconds} → {@code firing}
 * (the value and time are stored); it stops holding → {@code resolved} (with how long it fired),
 * or, if it never fired, the pending alert is dropped. Changes are stored (in order, waiting while
 * the database is away), announced to listeners and, unless a silence covers the rule, sent to
 * the webhook. The rules and silences are read again when they change, and every 10 seconds.
 *
 * <p>The state is touched by one evaluation at a time: {@link #evaluate}, {@link #reset} and
 * {@link #firingCount} are synchronized.
 */
final class AlertTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(AlertTransitions.class);
    private static final Duration RULES_REFRESH = Duration.ofSeconds(10);
    private static final Duration RULES_RETRY = Duration.ofSeconds(5);

    private final Database db;
    private final AlertRepository repository;
    private final SilenceRepository silenceRepository;
    private final @Nullable AlertNotifier notifier;
    private final List<BiConsumer<AlertState, AlertView>> listeners = new CopyOnWriteArrayList<>();

    private final Map<UUID, Active> active = new HashMap<>();
    private final UnsavedChanges unsaved;
    private List<AlertRuleView> rules = List.of();
    private List<SilenceView> silences = List.of();
    private Instant rulesLoadedAt = Instant.EPOCH;
    private Instant retryLoadAt = Instant.EPOCH;
    private volatile boolean rulesChanged = true;
    private boolean resumed;

    /** An open alert of a rule, as held between snapshots. */
    private record Active(
            UUID id,
            AlertState state,
            Instant startedAt,
            @Nullable Instant firedAt,
            @Nullable Double firedValue,
            boolean silenced) {}

    private record Loaded(List<AlertRuleView> rules, List<SilenceView> silences, List<AlertView> open) {}

    AlertTransitions(
            Database db,
            AlertRepository repository,
            SilenceRepository silenceRepository,
            @Nullable AlertNotifier notifier) {
        this.db = db;
        this.repository = repository;
        this.silenceRepository = silenceRepository;
        this.notifier = notifier;
        this.unsaved = new UnsavedChanges(db);
    }

    /** Called with {@code (state, alert)} on every change of an alert's state. */
    void onChange(BiConsumer<AlertState, AlertView> listener) {
        listeners.add(listener);
    }

    /** The rules or silences changed: read them again before the next step. */
    void reload() {
        rulesChanged = true;
    }

    /** Forgets the open alerts and the changes not stored: the next step carries on from the database. */
    synchronized void reset() {
        active.clear();
        unsaved.clear();
        resumed = false;
        rulesChanged = true;
    }

    /** Number of alerts firing now. */
    synchronized long firingCount() {
        return active.values().stream()
                .filter(a -> a.state() == AlertState.FIRING)
                .count();
    }

    /** Moves every enabled rule one step on the snapshot's values. */
    synchronized void evaluate(MetricsSampler.Snapshot snapshot) {
        Instant now = snapshot.at();
        refreshRules(now);
        var seen = new HashSet<UUID>();
        for (AlertRuleView rule : rules) {
            if (!rule.enabled()) {
                continue;
            }
            seen.add(rule.id());
            double value = snapshot.value(rule.metric());
            boolean holds = !Double.isNaN(value) && AlertRules.holds(value, rule.op(), rule.threshold());
            step(rule, value, holds, now);
        }
        // rules deleted or disabled: their open alerts end
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!seen.contains(entry.getKey())) {
                Active a = entry.getValue();
                if (a.state() == AlertState.PENDING) {
                    unsaved.add(tx -> {
                        repository.deletePending(tx, a.id());
                        return null;
                    });
                } else {
                    unsaved.add(tx -> {
                        repository.markResolved(tx, a.id(), Double.NaN, now);
                        return null;
                    });
                }
                it.remove();
            }
        }
        // stored last, so that a database that is away never holds up the alerts themselves
        unsaved.store();
    }

    private void step(AlertRuleView rule, double value, boolean holds, Instant now) {
        Active current = active.get(rule.id());
        boolean silenced = Silences.cover(silences, rule.name());
        if (current == null) {
            if (!holds) {
                return;
            }
            UUID id = UUID.randomUUID();
            if (rule.forSeconds() == 0) {
                fire(rule, new Active(id, AlertState.PENDING, now, null, null, silenced), value, now, silenced);
            } else {
                var pending = new Active(id, AlertState.PENDING, now, null, null, silenced);
                active.put(rule.id(), pending);
                unsaved.add(tx -> {
                    repository.insertPending(tx, id, rule.id(), value, now);
                    return null;
                });
                announce(AlertState.PENDING, rule, pending, value, null);
            }
            return;
        }
        if (current.state() == AlertState.PENDING) {
            if (!holds) {
                active.remove(rule.id());
                unsaved.add(tx -> {
                    repository.deletePending(tx, current.id());
                    return null;
                });
                announce(AlertState.INACTIVE, rule, current, value, null);
            } else if (!now.isBefore(current.startedAt().plusSeconds(rule.forSeconds()))) {
                fire(rule, current, value, now, silenced);
            }
            return;
        }
        // firing
        if (!holds) {
            active.remove(rule.id());
            unsaved.add(tx -> {
                repository.markResolved(tx, current.id(), value, now);
                return null;
            });
            var view = announce(AlertState.RESOLVED, rule, current, value, now);
            if (notifier != null && !current.silenced()) {
                notifier.send(AlertState.RESOLVED, view);
            }
        }
    }

    private void fire(AlertRuleView rule, Active from, double value, Instant now, boolean silenced) {
        var firing = new Active(from.id(), AlertState.FIRING, from.startedAt(), now, value, silenced);
        active.put(rule.id(), firing);
        unsaved.add(tx -> {
            repository.markFiring(tx, firing.id(), rule.id(), value, firing.startedAt(), now, silenced);
            return null;
        });
        var view = announce(AlertState.FIRING, rule, firing, value, null);
        LOG.warn(
                "alert {} firing: {} = {} ({} {}){}",
                rule.name(),
                rule.metric(),
                value,
                rule.op(),
                rule.threshold(),
                silenced ? " [silenced]" : "");
        if (notifier != null && !silenced) {
            notifier.send(AlertState.FIRING, view);
        }
    }

    private AlertView announce(
            AlertState state, AlertRuleView rule, Active a, double value, @Nullable Instant resolvedAt) {
        var view = new AlertView(
                a.id(),
                rule.id(),
                rule.name(),
                rule.metric(),
                rule.op(),
                rule.threshold(),
                rule.severity(),
                rule.description(),
                state,
                Double.isNaN(value) ? null : value,
                a.startedAt(),
                a.firedAt(),
                a.firedValue(),
                resolvedAt,
                a.firedAt() != null && resolvedAt != null
                        ? Duration.between(a.firedAt(), resolvedAt).toSeconds()
                        : null,
                a.silenced(),
                null,
                List.of());
        listeners.forEach(l -> l.accept(state, view));
        return view;
    }

    private void refreshRules(Instant now) {
        boolean due = rulesChanged || !now.isBefore(rulesLoadedAt.plus(RULES_REFRESH));
        if (!due || now.isBefore(retryLoadAt)) {
            // silences end by themselves: drop those past their end without asking the database
            silences = silences.stream().filter(s -> s.endsAt().isAfter(now)).toList();
            return;
        }
        try {
            rulesChanged = false;
            var loaded = db.read(tx -> new Loaded(
                    repository.rules(tx),
                    silenceRepository.silences(tx, now, true, 1_000, null),
                    resumed ? List.of() : repository.active(tx)));
            rules = loaded.rules();
            silences = loaded.silences();
            // a retired rule's alert is no longer held (the database resolved it with the rule)
            var live = rules.stream().map(AlertRuleView::id).collect(Collectors.toSet());
            active.keySet().retainAll(live);
            for (AlertView a : loaded.open()) {
                active.putIfAbsent(
                        a.ruleId(),
                        new Active(a.id(), a.state(), a.startedAt(), a.firedAt(), a.firedValue(), a.silenced()));
            }
            resumed = true;
            rulesLoadedAt = now;
        } catch (RuntimeException e) {
            // evaluate on what is known; ask the database again in a while, not every second
            rulesChanged = true;
            retryLoadAt = now.plus(RULES_RETRY);
            LOG.debug("alert rules not reloaded: {}", e.getMessage());
        }
    }
}
