package io.steward.server.alerts;

import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.Page;
import io.steward.server.api.SilenceRequest;
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
        router.handle("GET", "/api/v1/alerts", this::list)
                .handle("GET", "/api/v1/alert-rules", ex -> ex.ok(new Page<>(alerts.rules(), null)))
                .handle("POST", "/api/v1/alert-rules", ex -> {
                    var body = ex.body(AlertRuleRequest.class);
                    ex.json(201, alerts.create(ex.principal(), body, ex.requestId()));
                })
                .handle("PUT", "/api/v1/alert-rules/{id}", ex -> {
                    var id = ex.uuidParam("id");
                    var body = ex.body(AlertRuleRequest.class);
                    ex.ok(alerts.replace(ex.principal(), id, body, ex.ifMatch(), ex.requestId()));
                })
                .handle("DELETE", "/api/v1/alert-rules/{id}", ex -> {
                    alerts.delete(ex.principal(), ex.uuidParam("id"), ex.requestId());
                    ex.noContent();
                })
                .handle("GET", "/api/v1/silences", this::silences)
                .handle("POST", "/api/v1/silences", ex -> {
                    var body = ex.body(SilenceRequest.class);
                    ex.json(201, alerts.silence(ex.principal(), body, ex.requestId()));
                })
                .handle("DELETE", "/api/v1/silences/{id}", ex -> {
                    alerts.endSilence(ex.principal(), ex.uuidParam("id"), ex.requestId());
                    ex.noContent();
                });
    }

    private void list(Exchange ex) {
        int limit = ex.limit();
        ex.ok(alerts.alerts(
                ex.query("state"), limit, ex.query("cursor").map(Keyset::decode).orElse(null)));
    }

    private void silences(Exchange ex) {
        String state = ex.query("state").orElse("active");
        if (!state.equals("active") && !state.equals("all")) {
            throw new ServiceException.Validation("state", "state must be active or all");
        }
        int limit = ex.limit();
        ex.ok(alerts.silences(
                state.equals("active"),
                limit,
                ex.query("cursor").map(Keyset::decode).orElse(null)));
    }
}
