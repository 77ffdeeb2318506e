package io.steward.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.AlertAction;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Alerts screen's view model on its own: a fake server, everything on the test's thread. */
class AlertsViewModelTest {
    static final AlertRuleView ERRORS =
            Views.rule("HighErrorRate", "http.errors.ratio", 0.05, AlertRuleAction.EDIT, AlertRuleAction.DELETE);
    static final AlertRuleView MEMORY = Views.rule("HighMemoryUsage", "system.memory.used.percent", 90);

    final Clock clock = Clock.fixed(Views.NOW, ZoneOffset.UTC);

    AlertsViewModel open(FakeSession fake, AlertView... alerts) {
        fake.server
                .answer(Endpoint.ALERTS, new Page<>(List.of(alerts), null))
                .answer(Endpoint.ALERT_RULES, new Page<>(List.of(ERRORS, MEMORY), null))
                .answer(
                        Endpoint.METRICS,
                        new io.steward.console.client.MetricsApi.Catalog(List.of(
                                new MetricSeries("system.memory.used.percent", "%", "memory"),
                                new MetricSeries("http.errors.ratio", "ratio", "errors"))));
        var model = new AlertsViewModel(fake.session, clock);
        model.start();
        return model;
    }

    @Test
    void theActiveAlertsAreCountedAndTheMetricsOffered() {
        var fake = new FakeSession(Role.SUPPORT);
        var model = open(
                fake,
                Views.alert(ERRORS, AlertState.FIRING, 12, AlertAction.SILENCE),
                Views.alert(MEMORY, AlertState.PENDING, 1, AlertAction.SILENCE));
        assertThat(fake.server.calls(Endpoint.ALERTS).getLast().queryParameters())
                .containsEntry("state", "active")
                .containsEntry("limit", "200");
        assertThat(model.summaryProperty().get()).isEqualTo("✖ 1 firing, 1 pending");
        assertThat(model.alerts()).extracting(AlertsViewModel::state).containsExactly("✖ Firing", "◔ Pending");
        assertThat(model.duration(model.alerts().getFirst())).isEqualTo("12 min");
        assertThat(model.metrics()).containsExactly("http.errors.ratio", "system.memory.used.percent");
    }

    @Test
    void nothingActiveIsSaidInWords() {
        var fake = new FakeSession(Role.AUDITOR);
        var model = open(fake);
        assertThat(model.summaryProperty().get()).isEqualTo("✔ Nothing is firing or pending.");
    }

    @Test
    void eachFilterAsksTheServerForItsStates() {
        var fake = new FakeSession(Role.ADMIN);
        var model = open(fake);
        model.filterProperty().set(AlertsViewModel.Filter.RESOLVED);
        assertThat(fake.server.calls(Endpoint.ALERTS).getLast().queryParameters())
                .containsEntry("state", "resolved");
        model.filterProperty().set(AlertsViewModel.Filter.ALL);
        assertThat(fake.server.calls(Endpoint.ALERTS).getLast().queryParameters())
                .doesNotContainKey("state");
    }

    @Test
    void anAlertOnTheLiveStreamReloadsTheList() {
        var fake = new FakeSession(Role.SUPPORT);
        var model = open(fake);
        fake.server.forget();
        fake.server.answer(Endpoint.ALERTS, new Page<>(List.of(Views.alert(ERRORS, AlertState.FIRING, 0)), null));
        fake.emit("alert", Views.alert(ERRORS, AlertState.FIRING, 0));
        assertThat(fake.server.calls()).extracting(c -> c.endpoint()).containsExactly(Endpoint.ALERTS);
        assertThat(model.summaryProperty().get()).isEqualTo("✖ 1 firing, 0 pending");
    }

    @Test
    void theRuleButtonsFollowWhatTheServerAllows() {
        assertThat(open(new FakeSession(Role.ADMIN)).canEditProperty().get()).isTrue();
        assertThat(open(new FakeSession(Role.SUPPORT)).canEditProperty().get())
                .as("the New rule button follows the endpoint's permission")
                .isFalse();
        assertThat(AlertsViewModel.canEdit(ERRORS)).isTrue();
        assertThat(AlertsViewModel.canDelete(ERRORS)).isTrue();
        assertThat(AlertsViewModel.canEdit(MEMORY))
                .as("no action sent, no button")
                .isFalse();
        assertThat(AlertsViewModel.canDelete(null)).isFalse();
    }

    @Test
    void deletingARuleReloadsTheRulesAndARefusalIsShownInTheServersWords() {
        var fake = new FakeSession(Role.ADMIN);
        var model = open(fake);
        fake.server.forget();
        fake.server.answer(Endpoint.ALERT_RULE_DELETE, Map.of());
        model.delete(ERRORS);
        assertThat(fake.server.calls())
                .extracting(c -> c.endpoint() + " " + c.path())
                .containsExactly(
                        "DELETE /api/v1/alert-rules/{id} /api/v1/alert-rules/" + ERRORS.id(),
                        "GET /api/v1/alert-rules /api/v1/alert-rules");

        fake.server.fail(
                Endpoint.ALERT_RULE_DELETE,
                new ApiException(
                        403,
                        "FORBIDDEN",
                        "the support role may not use DELETE /api/v1/alert-rules/{id}",
                        null,
                        "r9",
                        null));
        model.delete(ERRORS);
        assertThat(model.problemProperty().get())
                .isEqualTo("The support role may not use DELETE /api/v1/alert-rules/{id} (request r9).");
    }
}
