package io.steward.server.alerts;

import io.steward.server.api.AcknowledgeRequest;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
import io.steward.server.api.SilenceState;
import io.steward.server.db.Keyset;
import io.steward.server.error.ServiceException;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;

/** Alerts, alert rules and silences over HTTP. */
public final class AlertRoutes {
    private final AlertService alerts;

    public AlertRoutes(AlertService alerts) {
        this.alerts = alerts;
    }

    public void register(Router router) {
        router.handle(Endpoint.ALERTS, this::list)
                .handle(
                        Endpoint.ALERT_ACKNOWLEDGE,
                        ex -> ex.ok(alerts.acknowledge(
                                ex.principal(),
                                ex.uuidParam("id"),
                                ex.body(AcknowledgeRequest.class).note(),
                                ex.requestId())))
                .handle(Endpoint.ALERT_RULES, ex -> ex.ok(new Page<>(alerts.rules(ex.principal()), null)))
                .handle(Endpoint.ALERT_RULE_CREATE, ex -> {
                    var body = ex.body(AlertRuleRequest.class);
                    ex.json(201, alerts.create(ex.principal(), body, ex.requestId()));
                })
                .handle(Endpoint.ALERT_RULE_UPDATE, ex -> {
                    var id = ex.uuidParam("id");
                    var body = ex.body(AlertRuleRequest.class);
                    ex.ok(alerts.replace(ex.principal(), id, body, ex.ifMatch(), ex.requestId()));
                })
                .handle(Endpoint.ALERT_RULE_DELETE, ex -> {
                    alerts.delete(ex.principal(), ex.uuidParam("id"), ex.requestId());
                    ex.noContent();
                })
                .handle(Endpoint.SILENCES, this::silences)
                .handle(Endpoint.SILENCE_CREATE, ex -> {
                    var body = ex.body(SilenceRequest.class);
                    ex.json(201, alerts.silence(ex.principal(), body, ex.requestId()));
                })
                .handle(Endpoint.SILENCE_DELETE, ex -> {
                    alerts.endSilence(ex.principal(), ex.uuidParam("id"), ex.requestId());
                    ex.noContent();
                });
    }

    private void list(Exchange ex) {
        int limit = ex.limit();
        ex.ok(alerts.alerts(
                ex.principal(),
                ex.query("state"),
                ex.uuidQuery("ruleId").orElse(null),
                limit,
                ex.query("cursor").map(Keyset::decode).orElse(null)));
    }

    private void silences(Exchange ex) {
        String active = SilenceState.ACTIVE.wireName();
        String state = ex.query("state").orElse(active);
        if (!state.equals(active) && !state.equals("all")) {
            throw new ServiceException.Validation("state", "state must be " + active + " or all");
        }
        int limit = ex.limit();
        ex.ok(alerts.silences(
                ex.principal(),
                state.equals(active),
                limit,
                ex.query("cursor").map(Keyset::decode).orElse(null)));
    }
}
