package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceState;
import io.steward.server.api.SilenceView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Silences: while one is in force, the alerts of the rule it names are still shown but not sent
 * to the webhook. Each is created with an end (at most 30 days on) and may be ended early; both
 * are audited. After every change {@code changed} runs, so that the evaluation reads them again.
 */
public final class Silences {
    static final Duration MAX_SILENCE = Duration.ofDays(30);

    private final Database db;
    private final SilenceRepository repository;
    private final AlertRepository rules;
    private final AuditService audit;
    private final Clock clock;
    private final Runnable changed;

    public Silences(
            Database db,
            SilenceRepository repository,
            AlertRepository rules,
            AuditService audit,
            Clock clock,
            Runnable changed) {
        this.db = db;
        this.repository = repository;
        this.rules = rules;
        this.audit = audit;
        this.clock = clock;
        this.changed = changed;
    }

    /** Whether one of {@code silences} that is in force covers the rule named {@code ruleName}. */
    static boolean cover(List<SilenceView> silences, String ruleName) {
        return silences.stream()
                .anyMatch(s -> s.state() == SilenceState.ACTIVE && s.matcher().equals(ruleName));
    }

    /** Newest-ending first; only those in force now when {@code activeOnly}. */
    public Page<SilenceView> list(boolean activeOnly, int limit, @Nullable Keyset after) {
        var rows = db.read(tx -> repository.silences(tx, clock.instant(), activeOnly, limit + 1, after));
        var items = rows.stream().limit(limit).toList();
        String next = rows.size() > limit
                ? Keyset.of(items.getLast().endsAt(), items.getLast().id()).encode()
                : null;
        return new Page<>(items, next);
    }

    public SilenceView create(Principal actor, SilenceRequest request, String requestId) {
        String matcher = AlertRules.required("matcher", request.matcher()).strip();
        String reason = AlertRules.required("reason", request.reason()).strip();
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
            if (rules.rules(tx).stream().noneMatch(r -> r.name().equals(matcher))) {
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
        changed.run();
        return created;
    }

    /** Ends a silence now (it stays listed, as expired). */
    public void end(Principal actor, UUID id, String requestId) {
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            var silence = repository
                    .silence(tx, id, now)
                    .orElseThrow(() -> new ServiceException.NotFound("no silence " + id));
            if (silence.state() != SilenceState.ACTIVE) {
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
        changed.run();
    }
}
