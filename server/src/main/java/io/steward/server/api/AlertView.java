package io.steward.server.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One alert: a rule's condition from when it started to hold ({@code pending}) through firing to
 * {@code resolved}. {@code firedValue} is the value that made it fire; {@code value} the latest
 * one seen (the resolving one once resolved). {@code silenced}: a silence covers it, so it is
 * shown but not notified. {@code acknowledged}: who said they are on it, when, and their note.
 * {@code actions}: what the staff member reading it may do with it now
 * (empty in the live stream, which all staff share).
 */
public record AlertView(
        UUID id,
        UUID ruleId,
        String ruleName,
        String metric,
        String op,
        double threshold,
        String severity,
        String description,
        AlertState state,
        @Nullable Double value,
        Instant startedAt,
        @Nullable Instant firedAt,
        @Nullable Double firedValue,
        @Nullable Instant resolvedAt,
        @Nullable Long durationSeconds,
        boolean silenced,
        @Nullable Acknowledgement acknowledged,
        List<AlertAction> actions) {

    /** Someone is on the alert. */
    public record Acknowledgement(
            UUID by, String byName, Instant at, @Nullable String note) {}

    public AlertView withSilenced(boolean covered) {
        return new AlertView(
                id,
                ruleId,
                ruleName,
                metric,
                op,
                threshold,
                severity,
                description,
                state,
                value,
                startedAt,
                firedAt,
                firedValue,
                resolvedAt,
                durationSeconds,
                covered,
                acknowledged,
                actions);
    }

    public AlertView withActions(List<AlertAction> allowed) {
        return new AlertView(
                id,
                ruleId,
                ruleName,
                metric,
                op,
                threshold,
                severity,
                description,
                state,
                value,
                startedAt,
                firedAt,
                firedValue,
                resolvedAt,
                durationSeconds,
                silenced,
                acknowledged,
                List.copyOf(allowed));
    }
}
