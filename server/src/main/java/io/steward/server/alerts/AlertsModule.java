package io.steward.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.ServerConfig;
import io.steward.server.api.MetricSeries;
import io.steward.server.audit.AuditService;
import io.steward.server.cluster.ClusterBus;
import io.steward.server.cluster.ClusterMessage;
import io.steward.server.cluster.Leadership;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.http.Router;
import io.steward.server.metrics.MetricsSampler;
import io.steward.server.metrics.SeriesStore;
import io.steward.server.outbound.Guard;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Alerts wired: the rules and silences behind the routes, the evaluation on the leader's samples,
 * the webhook ({@code --alert-webhook}, behind a breaker) and the series {@code alerts.firing}
 * (and {@code alerts.webhook.dropped}). Each alert change reaches the live streams of every
 * instance; a change of rules or silences, and a bus that listens again, make every instance read
 * them again.
 */
public record AlertsModule(
        AlertEvaluator evaluator, @Nullable AlertNotifier notifier, AlertRoutes routes) implements AutoCloseable {

    /** {@code wall}: the clock the rules are evaluated and the silences timed on. */
    public static AlertsModule wire(
            ServerConfig config,
            Database db,
            AuditService audit,
            Clock wall,
            ObjectMapper mapper,
            MetricsSampler sampler,
            SeriesStore series,
            EventHub events,
            ClusterBus bus,
            Leadership leadership) {
        var notifier = config.alertWebhook()
                .map(url -> new AlertNotifier(
                        url,
                        new Guard(
                                "alert-webhook",
                                Guard.Settings.defaults()
                                        .withWaitInOpen(Duration.ofSeconds(config.breakerWaitSeconds()))),
                        mapper))
                .orElse(null);
        var alerts = new AlertRepository();
        var silences = new SilenceRepository();
        var evaluator = new AlertEvaluator(db, alerts, silences, notifier);
        Runnable rulesChanged = () -> {
            evaluator.reloadRules();
            bus.publish(new ClusterMessage.AlertRulesChanged());
        };
        var service = new AlertService(
                db,
                alerts,
                silences,
                wall,
                new AlertRules(db, alerts, audit, wall, () -> Set.copyOf(series.names()), rulesChanged),
                new Silences(db, silences, alerts, audit, wall, rulesChanged),
                audit,
                alert -> {
                    events.publish("alert", alert);
                    bus.publish(new ClusterMessage.AlertChanged(alert));
                });

        sampler.gauge(new MetricSeries("alerts.firing", "alerts", "Alerts firing now"), evaluator::firingCount);
        if (notifier != null) {
            sampler.gauge(
                    new MetricSeries(
                            "alerts.webhook.dropped",
                            "notifications",
                            "Alert notifications the webhook did not take (queue full, breaker open, or failed after"
                                    + " retries), since start"),
                    notifier::droppedCount);
        }
        evaluator.onChange((state, alert) -> {
            events.publish("alert", alert);
            bus.publish(new ClusterMessage.AlertChanged(alert));
        });
        bus.on(ClusterMessage.AlertRulesChanged.class, changed -> evaluator.reloadRules());
        bus.on(ClusterMessage.AlertChanged.class, changed -> {
            events.publish("alert", changed.alert());
            evaluator.heard(changed.alert());
        });
        bus.onReconnect(evaluator::catchUp);
        // one instance evaluates the rules: the leader, picking up the open alerts where the last one left them
        leadership.onChange(evaluator::lead);
        sampler.onSample(snapshot -> {
            if (leadership.isLeader()) {
                evaluator.offer(snapshot);
            }
        });
        return new AlertsModule(evaluator, notifier, new AlertRoutes(service));
    }

    /** The webhook's breaker, if there is a webhook. */
    public List<Guard> guards() {
        return notifier == null ? List.of() : List.of(notifier.guard());
    }

    public void register(Router router) {
        routes.register(router);
    }

    /** Until leadership says otherwise, this instance follows: it counts what the leader says is firing. */
    public void start() {
        evaluator.lead(false);
    }

    @Override
    public void close() {
        evaluator.close();
        if (notifier != null) {
            notifier.close();
        }
    }
}
