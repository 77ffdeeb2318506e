package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.db.SqlWork;
import io.steward.server.error.ServiceException;
import io.steward.server.metrics.MetricsSampler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert rules and their evaluation. Each second's metrics snapshot moves every enabled rule
 * through Prometheus' states: the condition starts to hold → {@code pending}; it has held for the
 * rule's {@code forSeconds} → {@code firing} (the value and time are stored); it stops holding →
 * {@code resolved} (with how long it fired), or, if it never fired, the pending alert is dropped.
 * Changes are stored, pushed to listeners (the live stream) and, unless a silence covers the
 * rule, sent to the webhook. Storage that fails while the database is away is retried in order.
 */
public final class AlertService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    static final Set<String> OPERATORS = Set.of(">", ">=", "<", "<=", "==", "!=");
    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    static final int MAX_FOR_SECONDS = 7 * 24 * 3_600;
    static final Duration MAX_SILENCE = Duration.ofDays(30);
    private static final Duration RULES_REFRESH = Duration.ofSeconds(10);
    private static final Duration RULES_RETRY = Duration.ofSeconds(5);

    private final Database db;
    private final AlertRepository repository;
    private final AuditService audit;
    private final Clock clock;
    private final Supplier<Set<String>> metrics;
    private final @Nullable AlertNotifier notifier;
    private final java.util.concurrent.ExecutorService evaluator =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("steward-alerts").factory());
    private final java.util.concurrent.atomic.AtomicReference<MetricsSampler.@Nullable Snapshot> next =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final List<BiConsumer<String, AlertView>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> rulesListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    // on an instance that does not lead: the rules the leader says are firing
    private final Set<UUID> firingElsewhere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean leading;

    // evaluation state, touched only by the sampling thread (evaluate is synchronized)
    private final Map<UUID, Active> active = new HashMap<>();
    private final ArrayDeque<SqlWork<?>> unsaved = new ArrayDeque<>();
    private List<AlertRuleView> rules = List.of();
    private List<SilenceView> silences = List.of();
    private Instant rulesLoadedAt = Instant.EPOCH;
    private Instant retryLoadAt = Instant.EPOCH;
    private volatile boolean rulesChanged = true;
    private boolean resumed;

    private record Active(
            UUID id,
            String state,
            Instant startedAt,
            @Nullable Instant firedAt,
            @Nullable Double firedValue,
            boolean silenced) {}

    public AlertService(
            Database db,
            AlertRepository repository,
            AuditService audit,
            Clock clock,
            Supplier<Set<String>> metrics,
            @Nullable AlertNotifier notifier) {
        this.db = db;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
        this.notifier = notifier;
    }

    /** Called after a rule or silence is created, changed or removed here. */
    public void onRulesChanged(Runnable listener) {
        rulesListeners.add(listener);
    }

    private void announceRulesChanged() {
        rulesChanged = true;
        rulesListeners.forEach(Runnable::run);
    }

    /** Rules or silences changed elsewhere (through another instance): read them again. */
    public void reloadRules() {
        rulesChanged = true;
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
                synchronized (this) {
                    active.clear();
                    unsaved.clear();
                    resumed = false;
                    rulesChanged = true;
                }
                if (!leading) {
                    catchUp();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("alerts closed; leadership change ({}) ignored", leading);
        }
    }

    /** An alert change the leader announced (on another instance). */
    public void heard(AlertView alert) {
        if (alert.state().equals("firing")) {
            firingElsewhere.add(alert.ruleId());
        } else {
            firingElsewhere.remove(alert.ruleId());
        }
    }

    /** Reads again what may have been missed: the rules, and the alerts firing now. */
    public void catchUp() {
        rulesChanged = true;
        if (leading) {
            return;
        }
        try {
            var firing = db.read(repository::active).stream()
                    .filter(a -> a.state().equals("firing"))
                    .map(AlertView::ruleId)
                    .toList();
            firingElsewhere.clear();
            firingElsewhere.addAll(firing);
        } catch (RuntimeException e) {
            LOG.debug("alerts firing not read: {}", e.getMessage());
        }
    }

    /** Called with {@code (state, alert)} on every change of an alert's state. */
    public void onChange(BiConsumer<String, AlertView> listener) {
        listeners.add(listener);
    }

    // ---- rules ---------------------------------------------------------------------------

    public List<AlertRuleView> rules() {
        return db.read(repository::rules);
    }

    public AlertRuleView create(Principal actor, AlertRuleRequest request, String requestId) {
        var fields = validate(request, null);
        UUID id = UUID.randomUUID();
        var created = db.inTransaction(tx -> {
            if (repository.nameTaken(tx, fields.name(), null)) {
                throw new ServiceException.Conflict("an alert rule named " + fields.name() + " exists already");
            }
            repository.insertRule(tx, id, fields, clock.instant());
            var rule = repository.rule(tx, id, false).orElseThrow();
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "alert.rule_created",
                            null,
                            requestId,
                            Map.of("ruleId", id, "after", describe(rule))));
            return rule;
        });
        announceRulesChanged();
        return created;
    }

    public AlertRuleView replace(
            Principal actor, UUID id, AlertRuleRequest request, OptionalLong expectedVersion, String requestId) {
        var fields = validate(request, id);
        var updated = db.inTransaction(tx -> {
            var before = repository.rule(tx, id, true).orElseThrow(() -> notFound(id));
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != before.version()) {
                throw new ServiceException.PreconditionFailed("the rule changed since version "
                        + expectedVersion.getAsLong() + "; it is at version " + before.version());
            }
            if (repository.nameTaken(tx, fields.name(), id)) {
                throw new ServiceException.Conflict("an alert rule named " + fields.name() + " exists already");
            }
            repository.updateRule(tx, id, fields, clock.instant());
            var after = repository.rule(tx, id, false).orElseThrow();
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "alert.rule_updated",
                            null,
                            requestId,
                            Map.of("ruleId", id, "before", describe(before), "after", describe(after))));
            return after;
        });
        announceRulesChanged();
        return updated;
    }

    public void delete(Principal actor, UUID id, String requestId) {
        db.inTransaction(tx -> {
            var before = repository.rule(tx, id, true).orElseThrow(() -> notFound(id));
            // retired, not deleted: the rule's alerts stay in the history and the reports
            repository.retireRule(tx, id, clock.instant());
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "alert.rule_deleted",
                            null,
                            requestId,
                            Map.of("ruleId", id, "before", describe(before), "retired", true)));
            return null;
        });
        announceRulesChanged();
    }

    private AlertRepository.RuleFields validate(AlertRuleRequest r, @Nullable UUID id) {
        String name = required("name", r.name()).strip();
        if (name.length() > 100 || !name.matches("[\\p{L}\\p{N} ._-]+")) {
            throw new ServiceException.Validation(
                    "name", "name must be 1 to 100 letters, digits, spaces, dots, dashes or underscores");
        }
        String metric = required("metric", r.metric());
        if (!metrics.get().contains(metric)) {
            throw new ServiceException.Validation(
                    "metric",
                    "metric " + truncate(metric) + " is not a series of this server; see GET /api/v1/metrics");
        }
        String op = required("op", r.op());
        if (!OPERATORS.contains(op)) {
            throw new ServiceException.Validation("op", "op must be one of > >= < <= == !=");
        }
        if (r.threshold() == null || !Double.isFinite(r.threshold())) {
            throw new ServiceException.Validation("threshold", "threshold must be a finite number");
        }
        int forSeconds = r.forSeconds() == null ? 0 : r.forSeconds();
        if (forSeconds < 0 || forSeconds > MAX_FOR_SECONDS) {
            throw new ServiceException.Validation(
                    "forSeconds", "forSeconds must be between 0 and " + MAX_FOR_SECONDS + " (a week)");
        }
        String severity = r.severity() == null ? "warning" : r.severity();
        if (!SEVERITIES.contains(severity)) {
            throw new ServiceException.Validation("severity", "severity must be info, warning or critical");
        }
        String description = r.description() == null ? "" : r.description().strip();
        if (description.length() > 500) {
            throw new ServiceException.Validation("description", "description must be at most 500 characters");
        }
        return new AlertRepository.RuleFields(
                name, metric, op, r.threshold(), forSeconds, severity, description, r.enabled() == null || r.enabled());
    }

    // ---- alerts and silences -------------------------------------------------------------

    /** Alerts newest first; {@code state}: pending, firing, resolved or active. */
    public Page<AlertView> alerts(Optional<String> state, int limit, @Nullable Keyset after) {
        state.ifPresent(s -> {
            if (!Set.of("pending", "firing", "resolved", "active").contains(s)) {
                throw new ServiceException.Validation("state", "state must be pending, firing, resolved or active");
            }
        });
        Instant now = clock.instant();
        var rows = new ArrayList<AlertView>();
        var inForce = db.read(tx -> {
            rows.addAll(repository.alerts(tx, state, limit + 1, after));
            return repository.silences(tx, now, true, 1_000, null);
        });
        // silenced says whether a silence covers an open alert now; for resolved ones, whether one did when it fired
        var items = rows.stream()
                .limit(limit)
                .map(a -> a.state().equals("resolved") ? a : withSilenced(a, covered(inForce, a.ruleName())))
                .toList();
        String next = rows.size() > limit
                ? Keyset.of(items.getLast().startedAt(), items.getLast().id()).encode()
                : null;
        return new Page<>(items, next);
    }

    private static AlertView withSilenced(AlertView a, boolean silenced) {
        return new AlertView(
                a.id(),
                a.ruleId(),
                a.ruleName(),
                a.metric(),
                a.op(),
                a.threshold(),
                a.severity(),
                a.description(),
                a.state(),
                a.value(),
                a.startedAt(),
                a.firedAt(),
                a.firedValue(),
                a.resolvedAt(),
                a.durationSeconds(),
                silenced);
    }

    public Page<SilenceView> silences(boolean activeOnly, int limit, @Nullable Keyset after) {
        var rows = db.read(tx -> repository.silences(tx, clock.instant(), activeOnly, limit + 1, after));
        var items = rows.stream().limit(limit).toList();
        String next = rows.size() > limit
                ? Keyset.of(items.getLast().endsAt(), items.getLast().id()).encode()
                : null;
        return new Page<>(items, next);
    }

    public SilenceView silence(Principal actor, SilenceRequest request, String requestId) {
        String matcher = required("matcher", request.matcher()).strip();
        String reason = required("reason", request.reason()).strip();
        if (reason.length() > 500) {
            throw new ServiceException.Validation("reason", "reason must be at most 500 characters");
        }
        Instant endsAt = request.endsAt();
        if (endsAt == null) {
            throw new ServiceException.Validation("endsAt", "endsAt is required: a silence must end");
        }
        Instant now = clock.instant();
        if (!endsAt.isAfter(now)) {
            throw new ServiceException.Validation("endsAt", "endsAt must be in the future");
        }
        if (endsAt.isAfter(now.plus(MAX_SILENCE))) {
            throw new ServiceException.Validation("endsAt", "a silence may last at most 30 days");
        }
        UUID id = UUID.randomUUID();
        var created = db.inTransaction(tx -> {
            if (repository.rules(tx).stream().noneMatch(r -> r.name().equals(matcher))) {
                throw new ServiceException.Validation("matcher", "matcher must be the name of an alert rule");
            }
            repository.insertSilence(tx, id, matcher, reason, actor.userId(), now, endsAt);
            var silence = repository.silence(tx, id, now).orElseThrow();
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "alert.silence_created",
                            null,
                            requestId,
                            Map.of(
                                    "silenceId",
                                    id,
                                    "matcher",
                                    matcher,
                                    "reason",
                                    reason,
                                    "endsAt",
                                    endsAt.toString())));
            return silence;
        });
        announceRulesChanged();
        return created;
    }

    /** Ends a silence now (it stays listed, as expired). */
    public void endSilence(Principal actor, UUID id, String requestId) {
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            var silence = repository
                    .silence(tx, id, now)
                    .orElseThrow(() -> new ServiceException.NotFound("no silence " + id));
            if (!silence.state().equals("active")) {
                throw new ServiceException.Conflict("this silence has already ended");
            }
            repository.endSilence(tx, id, actor.userId(), now);
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            "alert.silence_ended",
                            null,
                            requestId,
                            Map.of("silenceId", id, "matcher", silence.matcher())));
            return null;
        });
        announceRulesChanged();
    }

    // ---- evaluation ----------------------------------------------------------------------

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
                    evaluate(newest);
                }
            });
        }
    }

    @Override
    public void close() {
        evaluator.shutdownNow();
    }

    /** Moves every enabled rule one step on the snapshot's values. */
    synchronized void evaluate(MetricsSampler.Snapshot snapshot) {
        Instant now = snapshot.at();
        refreshRules(now);
        var seen = new java.util.HashSet<UUID>();
        for (AlertRuleView rule : rules) {
            if (!rule.enabled()) {
                continue;
            }
            seen.add(rule.id());
            double value = snapshot.value(rule.metric());
            boolean holds = !Double.isNaN(value) && holds(value, rule.op(), rule.threshold());
            step(rule, value, holds, now);
        }
        // rules deleted or disabled: their open alerts end
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!seen.contains(entry.getKey())) {
                Active a = entry.getValue();
                if (a.state().equals("pending")) {
                    save(tx -> {
                        repository.deletePending(tx, a.id());
                        return null;
                    });
                } else {
                    save(tx -> {
                        repository.markResolved(tx, a.id(), Double.NaN, now);
                        return null;
                    });
                }
                it.remove();
            }
        }
        // stored last, so that a database that is away never holds up the alerts themselves
        flushUnsaved();
    }

    private void step(AlertRuleView rule, double value, boolean holds, Instant now) {
        Active current = active.get(rule.id());
        boolean silenced = covered(silences, rule.name());
        if (current == null) {
            if (!holds) {
                return;
            }
            UUID id = UUID.randomUUID();
            if (rule.forSeconds() == 0) {
                fire(rule, new Active(id, "pending", now, null, null, silenced), value, now, silenced);
            } else {
                var pending = new Active(id, "pending", now, null, null, silenced);
                active.put(rule.id(), pending);
                save(tx -> {
                    repository.insertPending(tx, id, rule.id(), value, now);
                    return null;
                });
                announce("pending", rule, pending, value, null);
            }
            return;
        }
        if (current.state().equals("pending")) {
            if (!holds) {
                active.remove(rule.id());
                save(tx -> {
                    repository.deletePending(tx, current.id());
                    return null;
                });
                announce("inactive", rule, current, value, null);
            } else if (!now.isBefore(current.startedAt().plusSeconds(rule.forSeconds()))) {
                fire(rule, current, value, now, silenced);
            }
            return;
        }
        // firing
        if (!holds) {
            active.remove(rule.id());
            save(tx -> {
                repository.markResolved(tx, current.id(), value, now);
                return null;
            });
            var view = announce("resolved", rule, current, value, now);
            if (notifier != null && !current.silenced()) {
                notifier.send("resolved", view);
            }
        }
    }

    private void fire(AlertRuleView rule, Active from, double value, Instant now, boolean silenced) {
        var firing = new Active(from.id(), "firing", from.startedAt(), now, value, silenced);
        active.put(rule.id(), firing);
        save(tx -> {
            repository.markFiring(tx, firing.id(), rule.id(), value, firing.startedAt(), now, silenced);
            return null;
        });
        var view = announce("firing", rule, firing, value, null);
        LOG.warn(
                "alert {} firing: {} = {} ({} {}){}",
                rule.name(),
                rule.metric(),
                value,
                rule.op(),
                rule.threshold(),
                silenced ? " [silenced]" : "");
        if (notifier != null && !silenced) {
            notifier.send("firing", view);
        }
    }

    private AlertView announce(String state, AlertRuleView rule, Active a, double value, @Nullable Instant resolvedAt) {
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
                a.silenced());
        listeners.forEach(l -> l.accept(state, view));
        return view;
    }

    static boolean holds(double value, String op, double threshold) {
        return switch (op) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case "==" -> value == threshold;
            case "!=" -> value != threshold;
            default -> false;
        };
    }

    private static boolean covered(List<SilenceView> silences, String ruleName) {
        return silences.stream()
                .anyMatch(s -> s.state().equals("active") && s.matcher().equals(ruleName));
    }

    /** Number of alerts firing now (a metric series of its own). */
    public long firingCount() {
        if (!leading) {
            return firingElsewhere.size();
        }
        synchronized (this) {
            return active.values().stream()
                    .filter(a -> a.state().equals("firing"))
                    .count();
        }
    }

    private record Loaded(List<AlertRuleView> rules, List<SilenceView> silences, List<AlertView> open) {}

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
                    repository.silences(tx, now, true, 1_000, null),
                    resumed ? List.of() : repository.active(tx)));
            rules = loaded.rules();
            silences = loaded.silences();
            // a retired rule's alert is no longer held (the database resolved it with the rule)
            var live = rules.stream().map(AlertRuleView::id).collect(java.util.stream.Collectors.toSet());
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

    /** Queues a change for storage; {@link #flushUnsaved} stores the queue in order. */
    private void save(SqlWork<?> work) {
        unsaved.addLast(work);
    }

    private void flushUnsaved() {
        while (!unsaved.isEmpty()) {
            try {
                db.inTransaction(unsaved.peekFirst());
                unsaved.removeFirst();
            } catch (ServiceException.Unavailable e) {
                LOG.debug("alert changes kept until the database answers ({} waiting)", unsaved.size());
                return;
            } catch (RuntimeException e) {
                LOG.warn("an alert change could not be stored and is dropped", e);
                unsaved.removeFirst();
            }
        }
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new ServiceException.Validation(field, field + " is required");
        }
        return value;
    }

    private static ServiceException.NotFound notFound(UUID id) {
        return new ServiceException.NotFound("no alert rule " + id);
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** A rule as the audit trail keeps it. */
    static Map<String, Object> describe(AlertRuleView r) {
        var map = new LinkedHashMap<String, Object>();
        map.put("name", r.name());
        map.put("metric", r.metric());
        map.put("op", r.op());
        map.put("threshold", r.threshold());
        map.put("forSeconds", r.forSeconds());
        map.put("severity", r.severity());
        map.put("enabled", r.enabled());
        map.put("description", r.description());
        map.put("version", r.version());
        return map;
    }
}
