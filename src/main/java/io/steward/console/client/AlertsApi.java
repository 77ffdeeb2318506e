package io.steward.console.client;

import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import java.util.List;
import java.util.UUID;

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
