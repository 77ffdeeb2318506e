package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
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

    public List<AlertRuleView> rules() {
        return rules.list();
    }

    public AlertRuleView create(Principal actor, AlertRuleRequest request, String requestId) {
        return rules.create(actor, request, requestId);
    }

    public AlertRuleView replace(
            Principal actor, UUID id, AlertRuleRequest request, OptionalLong expectedVersion, String requestId) {
        return rules.replace(actor, id, request, expectedVersion, requestId);
    }

    public void delete(Principal actor, UUID id, String requestId) {
        rules.delete(actor, id, requestId);
    }

    public Page<SilenceView> silences(boolean activeOnly, int limit, @Nullable Keyset after) {
        return silences.list(activeOnly, limit, after);
    }

    public SilenceView silence(Principal actor, SilenceRequest request, String requestId) {
        return silences.create(actor, request, requestId);
    }

    /** Ends a silence now (it stays listed, as expired). */
    public void endSilence(Principal actor, UUID id, String requestId) {
        silences.end(actor, id, requestId);
    }

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
            return silenceRepository.silences(tx, now, true, 1_000, null);
        });
        // silenced says whether a silence covers an open alert now; for resolved ones, whether one did when it fired
        var items = rows.stream()
                .limit(limit)
                .map(a -> a.state().equals("resolved") ? a : withSilenced(a, Silences.cover(inForce, a.ruleName())))
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
}
