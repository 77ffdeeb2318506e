package io.steward.console.client;

import io.steward.server.api.AcknowledgeRequest;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceState;
import io.steward.server.api.SilenceView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Alerts and the rules that raise them. */
public final class AlertsApi {
    private final Transport transport;

    AlertsApi(Transport transport) {
        this.transport = transport;
    }

    /** Alerts, newest first; {@code state} is {@code pending}, {@code firing}, {@code resolved}, {@code active} or empty for all. */
    public Page<AlertView> alerts(String state, int limit) {
        return transport.send(ApiCall.page(Endpoint.ALERTS, AlertView.class)
                .query("limit", limit)
                .query("state", state));
    }

    /** The latest {@code limit} alerts of one rule, newest first. */
    public Page<AlertView> history(UUID rule, int limit) {
        return transport.send(ApiCall.page(Endpoint.ALERTS, AlertView.class)
                .query("ruleId", rule)
                .query("limit", limit));
    }

    /** Says the signed-in person is on the alert, with what they said (audited; 409 if someone was first). */
    public AlertView acknowledge(UUID id, @Nullable String note) {
        return transport.send(
                ApiCall.of(Endpoint.ALERT_ACKNOWLEDGE, AlertView.class, id).body(new AcknowledgeRequest(note)));
    }

    /** Silences, newest first: the active ones only, or all. */
    public Page<SilenceView> silences(boolean activeOnly, int limit) {
        return transport.send(ApiCall.page(Endpoint.SILENCES, SilenceView.class)
                .query("state", activeOnly ? SilenceState.ACTIVE.wireName() : "all")
                .query("limit", limit));
    }

    /** Silences the alerts of the rule named {@code rule} until {@code endsAt}, for the reason given. */
    public SilenceView silence(String rule, String reason, Instant endsAt) {
        return transport.send(
                ApiCall.of(Endpoint.SILENCE_CREATE, SilenceView.class).body(new SilenceRequest(rule, reason, endsAt)));
    }

    /** Ends a silence now. */
    public void endSilence(UUID id) {
        transport.send(ApiCall.bare(Endpoint.SILENCE_DELETE, id));
    }

    public List<AlertRuleView> rules() {
        return transport
                .send(ApiCall.page(Endpoint.ALERT_RULES, AlertRuleView.class))
                .items();
    }

    public AlertRuleView create(AlertRuleRequest rule) {
        return transport.send(
                ApiCall.of(Endpoint.ALERT_RULE_CREATE, AlertRuleView.class).body(rule));
    }

    /** Replaces a rule; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public AlertRuleView update(UUID id, long version, AlertRuleRequest rule) {
        return transport.send(ApiCall.of(Endpoint.ALERT_RULE_UPDATE, AlertRuleView.class, id)
                .ifMatch(version)
                .body(rule));
    }

    public void delete(UUID id) {
        transport.send(ApiCall.bare(Endpoint.ALERT_RULE_DELETE, id));
    }
}
