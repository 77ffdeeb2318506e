package io.steward.server.alerts;

import io.steward.server.access.Principal;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The alert rules: created, replaced (at the version the caller read, when it says which with
 * If-Match) and retired, each validated and audited in its own transaction. After every change
 * {@code changed} runs, so that the evaluation reads the rules again.
 */
public final class AlertRules {
    static final Set<String> OPERATORS = Set.of(">", ">=", "<", "<=", "==", "!=");
    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    static final int MAX_FOR_SECONDS = 7 * 24 * 3_600;

    private final Database db;
    private final AlertRepository repository;
    private final AuditService audit;
    private final Clock clock;
    private final Supplier<Set<String>> metrics;
    private final Runnable changed;

    /** {@code metrics}: the names of the series a rule may watch. */
    public AlertRules(
            Database db,
            AlertRepository repository,
            AuditService audit,
            Clock clock,
            Supplier<Set<String>> metrics,
            Runnable changed) {
        this.db = db;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
        this.changed = changed;
    }

    public List<AlertRuleView> list() {
        return db.read(repository::rules);
    }

    public AlertRuleView create(Principal actor, AlertRuleRequest request, String requestId) {
        var fields = validate(request);
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
        changed.run();
        return created;
    }

    public AlertRuleView replace(
            Principal actor, UUID id, AlertRuleRequest request, OptionalLong expectedVersion, String requestId) {
        var fields = validate(request);
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
        changed.run();
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
        changed.run();
    }

    private AlertRepository.RuleFields validate(AlertRuleRequest r) {
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

    /** Whether {@code value} stands in relation {@code op} (one of {@link #OPERATORS}) to {@code threshold}. */
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

    /** A field of a rule's or a silence's request that may not be missing or blank. */
    static String required(String field, @Nullable String value) {
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
