package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the alert routes call: the rules ({@link AlertRules}), the silences ({@link Silences}) and
 * the alerts as stored. The alerts themselves come from the evaluation ({@link AlertEvaluator}).
 */
public final class AlertService {
    private final Database db;
    private final AlertRepository repository;
    private final SilenceRepository silenceRepository;
    private final Clock clock;
    private final AlertRules rules;
    private final Silences silences;
    private final AuditService audit;
    private final Consumer<AlertView> changed;

    /** A note with an acknowledgement says what one is doing; it is not a report. */
    static final int NOTE_LIMIT = 500;

    /**
     * @param changed told of an alert changed here (acknowledged), for the live stream and the other
     *     instances
     */
    public AlertService(
            Database db,
            AlertRepository repository,
            SilenceRepository silenceRepository,
            Clock clock,
            AlertRules rules,
            Silences silences,
            AuditService audit,
            Consumer<AlertView> changed) {
        this.db = db;
        this.repository = repository;
        this.silenceRepository = silenceRepository;
        this.clock = clock;
        this.rules = rules;
        this.silences = silences;
        this.audit = audit;
        this.changed = changed;
    }

    /** The rules, with what {@code reader} may do with each. */
    public List<AlertRuleView> rules(Principal reader) {
        return rules.list().stream()
                .map(rule -> rule.withActions(AlertActions.of(rule, reader.role())))
                .toList();
    }

    public AlertRuleView create(Principal actor, AlertRuleRequest request, String requestId) {
        var rule = rules.create(actor, request, requestId);
        return rule.withActions(AlertActions.of(rule, actor.role()));
    }

    public AlertRuleView replace(
            Principal actor, UUID id, AlertRuleRequest request, OptionalLong expectedVersion, String requestId) {
        var rule = rules.replace(actor, id, request, expectedVersion, requestId);
        return rule.withActions(AlertActions.of(rule, actor.role()));
    }

    public void delete(Principal actor, UUID id, String requestId) {
        rules.delete(actor, id, requestId);
    }

    /** Silences newest first, with what {@code reader} may do with each. */
    public Page<SilenceView> silences(Principal reader, boolean activeOnly, int limit, @Nullable Keyset after) {
        var page = silences.list(activeOnly, limit, after);
        return new Page<>(
                page.items().stream()
                        .map(silence -> silence.withActions(AlertActions.of(silence, reader.role())))
                        .toList(),
                page.nextCursor());
    }

    public SilenceView silence(Principal actor, SilenceRequest request, String requestId) {
        var silence = silences.create(actor, request, requestId);
        return silence.withActions(AlertActions.of(silence, actor.role()));
    }

    /** Ends a silence now (it stays listed, as expired). */
    public void endSilence(Principal actor, UUID id, String requestId) {
        silences.end(actor, id, requestId);
    }

    /**
     * Alerts newest first, with what {@code reader} may do with each; {@code state} filters by one
     * state or {@value AlertState#ACTIVE} (pending and firing).
     */
    public Page<AlertView> alerts(
            Principal reader, Optional<String> state, @Nullable UUID rule, int limit, @Nullable Keyset after) {
        Set<AlertState> states = state.map(s -> AlertState.filter(s)
                        .orElseThrow(() -> new ServiceException.Validation(
                                "state", "state must be pending, firing, resolved or " + AlertState.ACTIVE)))
                .orElse(Set.of());
        Instant now = clock.instant();
        var rows = new ArrayList<AlertView>();
        var inForce = db.read(tx -> {
            rows.addAll(repository.alerts(tx, states, rule, limit + 1, after));
            return silenceRepository.silences(tx, now, true, 1_000, null);
        });
        // silenced says whether a silence covers an open alert now; for resolved ones, whether one did when it fired
        var items = rows.stream()
                .limit(limit)
                .map(a -> a.state().open() ? a.withSilenced(Silences.cover(inForce, a.ruleName())) : a)
                .map(a -> a.withActions(AlertActions.of(a, reader.role())))
                .toList();
        String next = rows.size() > limit
                ? Keyset.of(items.getLast().startedAt(), items.getLast().id()).encode()
                : null;
        return new Page<>(items, next);
    }

    /**
     * Records that {@code actor} is on an open alert nobody has acknowledged yet (audited), and tells
     * everyone watching.
     *
     * @throws ServiceException.NotFound if there is no such alert
     * @throws ServiceException.Conflict if it is resolved or acknowledged already
     */
    public AlertView acknowledge(Principal actor, UUID id, @Nullable String note, String requestId) {
        String said = note == null || note.isBlank() ? null : note.strip();
        if (said != null && said.length() > NOTE_LIMIT) {
            throw new ServiceException.Validation("note", "a note may be at most " + NOTE_LIMIT + " characters");
        }
        Instant now = clock.instant();
        var acknowledged = db.inTransaction(tx -> {
            var alert = repository
                    .alertForUpdate(tx, id)
                    .orElseThrow(() -> new ServiceException.NotFound("no alert " + id));
            if (!alert.state().open()) {
                throw new ServiceException.Conflict(
                        "the alert is " + alert.state().wireName() + ": nobody needs to be on it");
            }
            if (alert.acknowledged() != null) {
                throw new ServiceException.Conflict(alert.acknowledged().byName() + " acknowledged it already");
            }
            if (!repository.acknowledge(tx, id, actor.userId(), now, said)) {
                throw new ServiceException.Conflict("the alert changed meanwhile; look at it again");
            }
            var details = new java.util.LinkedHashMap<String, Object>();
            details.put("alertId", id);
            details.put("rule", alert.ruleName());
            details.put("state", alert.state().wireName());
            if (said != null) {
                details.put("note", said);
            }
            audit.record(tx, new AuditService.Event(actor.userId(), "alert.acknowledged", null, requestId, details));
            return repository.alertForUpdate(tx, id).orElseThrow();
        });
        changed.accept(acknowledged);
        return acknowledged.withActions(AlertActions.of(acknowledged, actor.role()));
    }
}
