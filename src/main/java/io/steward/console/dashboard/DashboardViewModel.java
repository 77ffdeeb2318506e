package io.steward.console.dashboard;

import io.steward.console.client.ApiException;
import io.steward.console.session.LiveFeed;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.HealthReport;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the dashboard shows, from the live stream (each second) and the health report (pushed on
 * change, and asked for every five seconds so latencies stay current). Values the server has not
 * sent are {@code NaN}; the view shows them as a dash.
 */
public final class DashboardViewModel {
    private static final int HEALTH_EVERY_SECONDS = 5;

    /** One health check as a tile shows it. */
    public record CheckState(String name, Status status, long latencyMs, boolean essential) {}

    /** A status with the word and symbol that carry it besides colour. */
    public enum Status {
        UP("✔", "Up"),
        DEGRADED("⚠", "Degraded"),
        DOWN("✖", "Down"),
        UNKNOWN("?", "Unknown");

        private final String symbol;
        private final String word;

        Status(String symbol, String word) {
            this.symbol = symbol;
            this.word = word;
        }

        public String label() {
            return symbol + " " + word;
        }

        static Status of(String status) {
            return switch (status) {
                case "UP" -> UP;
                case "DEGRADED" -> DEGRADED;
                case "DOWN" -> DOWN;
                default -> UNKNOWN;
            };
        }
    }

    private final Session session;
    private final ZoneId zone;
    private final ObjectProperty<Status> overall = new SimpleObjectProperty<>(Status.UNKNOWN);
    private final StringProperty overallText = new SimpleStringProperty("Waiting for the first health report…");
    private final ObservableList<CheckState> checks = FXCollections.observableArrayList();
    private final DoubleProperty requestRate = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty errorPercent = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty latencyP95 = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty poolPercent = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty poolText = new SimpleStringProperty("");
    private final DoubleProperty heapPercent = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty alertsFiring = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty gdprOpen = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty gdprOverdue = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty uptime = new SimpleStringProperty("—");
    private final StringProperty updated = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private int seconds;

    public DashboardViewModel(Session session, Clock clock) {
        this.session = session;
        this.zone = clock.getZone();
    }

    /** Starts following the live stream and asks for the health report. */
    /** Opens the screen behind a tile ("alerts", "gdpr"). */
    public void open(String screen) {
        session.navigator().show(screen);
    }

    public void start() {
        LiveFeed feed = session.feed();
        feed.onSample(this::apply);
        feed.healthProperty().subscribe(report -> {
            if (report != null) {
                apply(report);
            }
        });
        LiveFeed.Sample latest = feed.sampleProperty().get();
        if (latest != null) {
            apply(latest);
        }
        refresh();
    }

    /** Asks the server for its health report now. */
    public void refresh() {
        session.executor()
                .run(
                        session.api().system()::health,
                        this::apply,
                        failure -> problem.set(
                                failure instanceof ApiException api
                                        ? "The server could not report its health: " + api.getMessage()
                                        : Text.problem(failure)));
    }

    void apply(LiveFeed.Sample sample) {
        requestRate.set(sample.value("http.requests.rate"));
        errorPercent.set(sample.value("http.errors.ratio") * 100);
        latencyP95.set(sample.value("http.latency.p95"));
        poolPercent.set(sample.value("db.pool.usage.percent"));
        double active = sample.value("db.pool.active");
        double pending = sample.value("db.pool.pending");
        poolText.set(
                Double.isNaN(active)
                        ? ""
                        : String.format(Locale.ROOT, "%.0f in use", active)
                                + (pending > 0 ? String.format(Locale.ROOT, ", %.0f waiting", pending) : ""));
        heapPercent.set(sample.value("jvm.heap.used.percent"));
        alertsFiring.set(sample.value("alerts.firing"));
        gdprOpen.set(sample.value("gdpr.requests.open"));
        gdprOverdue.set(sample.value("gdpr.requests.overdue"));
        double up = sample.value("process.uptime");
        uptime.set(Double.isNaN(up) ? "—" : Text.duration(Duration.ofSeconds((long) up)));
        String at = Dates.CLOCK.format(sample.at().atZone(zone));
        updated.set(
                sample.instance().isEmpty() ? "Updated " + at : "Live from " + sample.instance() + " · updated " + at);
        if (++seconds % HEALTH_EVERY_SECONDS == 0) {
            refresh();
        }
    }

    void apply(HealthReport report) {
        problem.set("");
        Status status = Status.of(report.status());
        overall.set(status);
        List<String> failing = report.checks().entrySet().stream()
                .filter(check -> !check.getValue().status().equals("UP"))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        overallText.set(
                failing.isEmpty()
                        ? "All " + report.checks().size() + " checks pass"
                        : "Failing: " + String.join(", ", failing));
        List<CheckState> states = report.checks().entrySet().stream()
                .map(check -> new CheckState(
                        check.getKey(),
                        Status.of(check.getValue().status()),
                        check.getValue().latencyMs(),
                        check.getValue().essential()))
                .sorted(Comparator.comparing((CheckState check) -> !check.essential())
                        .thenComparing(CheckState::name))
                .toList();
        if (!states.equals(checks)) {
            checks.setAll(states);
        }
    }

    public ObjectProperty<Status> overallProperty() {
        return overall;
    }

    public StringProperty overallTextProperty() {
        return overallText;
    }

    public ObservableList<CheckState> checks() {
        return checks;
    }

    public DoubleProperty requestRateProperty() {
        return requestRate;
    }

    public DoubleProperty errorPercentProperty() {
        return errorPercent;
    }

    public DoubleProperty latencyP95Property() {
        return latencyP95;
    }

    public DoubleProperty poolPercentProperty() {
        return poolPercent;
    }

    public StringProperty poolTextProperty() {
        return poolText;
    }

    public DoubleProperty heapPercentProperty() {
        return heapPercent;
    }

    public DoubleProperty alertsFiringProperty() {
        return alertsFiring;
    }

    public DoubleProperty gdprOpenProperty() {
        return gdprOpen;
    }

    public DoubleProperty gdprOverdueProperty() {
        return gdprOverdue;
    }

    public StringProperty uptimeProperty() {
        return uptime;
    }

    public StringProperty updatedProperty() {
        return updated;
    }

    public StringProperty problemProperty() {
        return problem;
    }
}
