package io.steward.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.dashboard.DashboardViewModel.CheckState;
import io.steward.console.dashboard.DashboardViewModel.Status;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.Endpoint;
import io.steward.server.api.HealthReport;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's view model on its own: a fake server, everything on the test's thread. */
class DashboardViewModelTest {
    static final HealthReport ALL_UP =
            Views.health("UP", "database", Views.check("UP", 3, true), "mail", Views.check("UP", 40, false));
    static final Map<String, Number> BUSY_SECOND = Map.of(
            "http.requests.rate", 12.5,
            "http.errors.ratio", 0.004,
            "http.latency.p95", 87,
            "db.pool.active", 3,
            "db.pool.pending", 2,
            "process.uptime", 7_500);

    final FakeSession fake = new FakeSession(Role.SUPPORT);
    final DashboardViewModel model =
            new DashboardViewModel(fake.session, Clock.fixed(Views.NOW, ZoneId.of("Europe/Paris")));

    DashboardViewModel open(HealthReport report) {
        fake.server.answer(Endpoint.HEALTH, report);
        model.start();
        return model;
    }

    @Test
    void openingAsksForTheHealthReportOnceAndNamesWhatFails() {
        open(Views.health(
                "DEGRADED",
                "mail",
                Views.check("DOWN", 5_000, false),
                "database",
                Views.check("UP", 3, true),
                "cache",
                Views.check("DEGRADED", 800, false)));
        assertThat(fake.server.calls()).extracting(c -> c.endpoint()).containsExactly(Endpoint.HEALTH);
        assertThat(model.overallProperty().get()).isEqualTo(Status.DEGRADED);
        assertThat(model.overallTextProperty().get()).isEqualTo("Failing: cache, mail");
        assertThat(model.checks())
                .as("essential checks first, then by name")
                .containsExactly(
                        new CheckState("database", Status.UP, 3, true),
                        new CheckState("cache", Status.DEGRADED, 800, false),
                        new CheckState("mail", Status.DOWN, 5_000, false));
    }

    @Test
    void eachLiveSecondFillsTheTilesAndWhatItDidNotCarryIsShownAsUnknown() {
        open(ALL_UP);
        fake.second(Views.NOW, BUSY_SECOND);
        assertThat(model.requestRateProperty().get()).isEqualTo(12.5);
        assertThat(model.errorPercentProperty().get())
                .as("a ratio shown as percent")
                .isEqualTo(0.4);
        assertThat(model.latencyP95Property().get()).isEqualTo(87);
        assertThat(model.poolTextProperty().get()).isEqualTo("3 in use, 2 waiting");
        assertThat(model.uptimeProperty().get()).isEqualTo("2 h 5 min");
        assertThat(model.updatedProperty().get()).isEqualTo("Live from a · updated 11:00:00");
        assertThat(model.heapPercentProperty().get()).isNaN();
        assertThat(model.gdprOverdueProperty().get()).isNaN();
        assertThat(model.overallTextProperty().get()).isEqualTo("All 2 checks pass");
    }

    @Test
    void theHealthReportIsAskedForAgainEveryFifthSecond() {
        open(ALL_UP);
        fake.server.forget();
        for (int s = 1; s <= 4; s++) {
            fake.second(Views.NOW.plusSeconds(s), BUSY_SECOND);
        }
        assertThat(fake.server.calls()).isEmpty();
        fake.second(Views.NOW.plusSeconds(5), BUSY_SECOND);
        assertThat(fake.server.calls()).extracting(c -> c.endpoint()).containsExactly(Endpoint.HEALTH);
    }

    @Test
    void aHealthReportPushedByTheServerIsShownWithoutACall() {
        open(ALL_UP);
        fake.server.forget();
        fake.emit("health", Views.health("DOWN", "database", Views.check("DOWN", 2_000, true)));
        assertThat(model.overallProperty().get()).isEqualTo(Status.DOWN);
        assertThat(model.overallTextProperty().get()).isEqualTo("Failing: database");
        assertThat(model.checks()).containsExactly(new CheckState("database", Status.DOWN, 2_000, true));
        assertThat(fake.server.calls()).isEmpty();
    }

    @Test
    void aSecondReceivedBeforeTheDashboardOpenedIsShownAtOnce() {
        fake.second(Views.NOW, BUSY_SECOND);
        open(ALL_UP);
        assertThat(model.requestRateProperty().get()).isEqualTo(12.5);
        assertThat(model.updatedProperty().get()).isEqualTo("Live from a · updated 11:00:00");
    }

    @Test
    void whenTheServerCannotReportItsHealthItsWordsAreShownUntilAReportArrives() {
        fake.server.fail(
                Endpoint.HEALTH, new ApiException(503, "UNAVAILABLE", "database unavailable", null, "req-1", null));
        model.start();
        assertThat(model.problemProperty().get())
                .isEqualTo("The server could not report its health: database unavailable (request req-1)");
        assertThat(model.overallProperty().get()).isEqualTo(Status.UNKNOWN);
        assertThat(model.overallTextProperty().get()).isEqualTo("Waiting for the first health report…");

        fake.emit("health", ALL_UP);
        assertThat(model.problemProperty().get()).isEmpty();
        assertThat(model.overallProperty().get()).isEqualTo(Status.UP);
    }
}
