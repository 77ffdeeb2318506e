package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An alert rule: fires when {@code metric op threshold} has held for {@code forSeconds}.
 * {@code op} is one of {@code > >= < <= == !=}; severity {@code info}, {@code warning} or
 * {@code critical}. {@code actions}: what the staff member reading it may do with it.
 */
public record AlertRuleView(
        UUID id,
        String name,
        String metric,
        String op,
        double threshold,
        int forSeconds,
        String severity,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        long version,
        List<AlertRuleAction> actions) {

    public AlertRuleView withActions(List<AlertRuleAction> allowed) {
        return new AlertRuleView(
                id,
                name,
                metric,
                op,
                threshold,
                forSeconds,
                severity,
                description,
                enabled,
                createdAt,
                updatedAt,
                version,
                List.copyOf(allowed));
    }
}
