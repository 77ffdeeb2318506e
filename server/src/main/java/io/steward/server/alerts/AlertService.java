package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceView;
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

    public AlertService(
            Database db,
            AlertRepository repository,
            SilenceRepository silenceRepository,
            Clock clock,
            AlertRules rules,
            Silences silences) {
        this.db = db;
        this.repository = repository;
        this.silenceRepository = silenceRepository;
        this.clock = clock;
        this.rules = rules;
        this.silences = silences;
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
    public Page<AlertView> alerts(Principal reader, Optional<String> state, int limit, @Nullable Keyset after) {
        Set<AlertState> states = state.map(s -> AlertState.filter(s)
                        .orElseThrow(() -> new ServiceException.Validation(
                                "state", "state must be pending, firing, resolved or " + AlertState.ACTIVE)))
                .orElse(Set.of());
        Instant now = clock.instant();
        var rows = new ArrayList<AlertView>();
        var inForce = db.read(tx -> {
            rows.addAll(repository.alerts(tx, states, limit + 1, after));
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
}
