package io.steward.console.alerts;

import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.Page;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The Alerts screen: alerts by state (refreshed whenever one changes), the rules, and — for
 * admins — creating, changing and deleting rules. Holds no JavaFX nodes.
 */
public final class AlertsViewModel {
    private static final int LIST_SIZE = 200;

    /** Which alerts are listed. */
    public enum Filter {
        ACTIVE(AlertState.ACTIVE, "Firing and pending"),
        FIRING(AlertState.FIRING.wireName(), "Firing"),
        PENDING(AlertState.PENDING.wireName(), "Pending"),
        RESOLVED(AlertState.RESOLVED.wireName(), "Resolved"),
        ALL("", "All");

        private final String state;
        private final String label;

        Filter(String state, String label) {
            this.state = state;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Session session;
    private final Clock clock;
    private final ZoneId zone;
    private final ObservableList<AlertView> alerts = FXCollections.observableArrayList();
    private final ObservableList<AlertRuleView> rules = FXCollections.observableArrayList();
    private final ObservableList<String> metrics = FXCollections.observableArrayList();
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ACTIVE);
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final BooleanProperty canEdit;

    public AlertsViewModel(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.zone = clock.getZone();
        this.canEdit = new SimpleBooleanProperty(
                Endpoint.ALERT_RULE_CREATE.permission().allows(session.role()));
    }

    /** Loads alerts, rules and the metric names; follows alert changes from the live stream. */
    public void start() {
        filter.subscribe(chosen -> refreshAlerts());
        session.feed().onAlert(alert -> refreshAlerts());
        refreshRules();
        session.executor()
                .run(
                        () -> session.api().metrics().catalog().stream()
                                .map(MetricSeries::name)
                                .sorted()
                                .toList(),
                        metrics::setAll,
                        this::showProblem);
    }

    public void refreshAlerts() {
        String state = filter.get().state;
        session.executor()
                .run(() -> session.api().alerts().alerts(state, LIST_SIZE), this::showAlerts, this::showProblem);
    }

    private void showAlerts(Page<AlertView> page) {
        problem.set("");
        alerts.setAll(page.items());
        long firing = page.items().stream()
                .filter(a -> a.state() == AlertState.FIRING)
                .count();
        long pending = page.items().stream()
                .filter(a -> a.state() == AlertState.PENDING)
                .count();
        summary.set(
                switch (filter.get()) {
                    case ACTIVE ->
                        firing == 0 && pending == 0
                                ? "✔ Nothing is firing or pending."
                                : "✖ " + firing + " firing, " + pending + " pending";
                    default -> page.items().size() + (page.nextCursor() == null ? "" : "+") + " alerts";
                });
    }

    public void refreshRules() {
        session.executor().run(session.api().alerts()::rules, rules::setAll, this::showProblem);
    }

    void showProblem(Throwable failure) {
        problem.set(Text.problem(failure));
    }

    /** Whether the server lets this person change {@code rule} (its {@code actions}). */
    public static boolean canEdit(@Nullable AlertRuleView rule) {
        return rule != null && rule.actions().contains(AlertRuleAction.EDIT);
    }

    /** Whether the server lets this person delete {@code rule}. */
    public static boolean canDelete(@Nullable AlertRuleView rule) {
        return rule != null && rule.actions().contains(AlertRuleAction.DELETE);
    }

    /** Deletes a rule (admins); its alerts stay in the history. */
    public void delete(AlertRuleView rule) {
        session.executor()
                .run(
                        () -> {
                            session.api().alerts().delete(rule.id());
                            return true;
                        },
                        done -> refreshRules(),
                        this::showProblem);
    }

    /** A new form for a rule, empty or filled from {@code rule}. */
    public RuleForm form(AlertRuleView rule) {
        return new RuleForm(session, rule);
    }

    public RuleForm newForm() {
        return new RuleForm(session, null);
    }

    // --- how a person reads an alert ---

    /** "✖ Firing", "◔ Pending", "✔ Resolved". */
    public static String state(AlertView alert) {
        return switch (alert.state()) {
            case FIRING -> "✖ Firing";
            case PENDING -> "◔ Pending";
            case RESOLVED -> "✔ Resolved";
            case INACTIVE -> "○ Gone before it fired";
        };
    }

    public static String condition(String metric, String op, double threshold) {
        return metric + " " + op + " " + number(threshold);
    }

    /** A value as a person writes it: {@code 0.05}, {@code 90}, {@code 1234.57} (six significant digits at most). */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    public String when(Instant at) {
        return at == null ? "" : Dates.RECENT.format(at.atZone(zone));
    }

    /** How long it has held: until now for an active alert, until it resolved otherwise. */
    public String duration(AlertView alert) {
        Instant end = alert.resolvedAt() != null ? alert.resolvedAt() : clock.instant();
        return Text.duration(Duration.between(alert.startedAt(), end));
    }

    public static String forTime(int seconds) {
        return seconds == 0 ? "at once" : "after " + Text.duration(Duration.ofSeconds(seconds));
    }

    public ObservableList<AlertView> alerts() {
        return alerts;
    }

    public ObservableList<AlertRuleView> rules() {
        return rules;
    }

    public ObservableList<String> metrics() {
        return metrics;
    }

    public ObjectProperty<Filter> filterProperty() {
        return filter;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyBooleanProperty canEditProperty() {
        return canEdit;
    }

    public static List<String> operators() {
        return List.of(">", ">=", "<", "<=", "==", "!=");
    }

    public static List<String> severities() {
        return List.of("info", "warning", "critical");
    }
}
