package io.steward.console.alerts;

import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.AlertAction;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.Page;
import io.steward.server.api.SeriesPoints;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private static final int HISTORY_SIZE = 20;

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
    private final Map<String, String> units = new HashMap<>();
    private final ObjectProperty<@Nullable AlertView> selected = new SimpleObjectProperty<>();
    private final StringProperty details = new SimpleStringProperty(NOTHING_SELECTED);
    private final ObservableList<AlertView> history = FXCollections.observableArrayList();
    private final ObservableList<SeriesPoints.Point> around = FXCollections.observableArrayList();
    private final StringProperty done = new SimpleStringProperty("");
    private @Nullable UUID shownHistoryOf;

    static final String NOTHING_SELECTED = "Select an alert to see it, silence it or say you are on it.";

    /** How long a silence made here lasts. */
    public enum SilenceFor {
        HALF_HOUR(Duration.ofMinutes(30), "30 minutes"),
        HOUR(Duration.ofHours(1), "1 hour"),
        FOUR_HOURS(Duration.ofHours(4), "4 hours"),
        DAY(Duration.ofDays(1), "1 day");

        final Duration length;
        private final String label;

        SilenceFor(Duration length, String label) {
            this.length = length;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

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
        selected.subscribe(this::select);
        refreshRules();
        session.executor()
                .run(
                        () -> session.api().metrics().catalog(),
                        catalog -> {
                            catalog.forEach(series -> units.put(series.name(), series.unit()));
                            metrics.setAll(catalog.stream()
                                    .map(MetricSeries::name)
                                    .sorted()
                                    .toList());
                        },
                        this::showProblem);
    }

    // --- the selected alert ---

    private void select(@Nullable AlertView alert) {
        if (alert == null) {
            shownHistoryOf = null;
            details.set(NOTHING_SELECTED);
            history.clear();
            around.clear();
            return;
        }
        details.set(describe(alert));
        if (alert.id().equals(shownHistoryOf)) {
            return; // the same alert read again: its history and chart stand
        }
        shownHistoryOf = alert.id();
        UUID rule = alert.ruleId();
        session.executor()
                .run(
                        () -> session.api().alerts().history(rule, HISTORY_SIZE),
                        page -> {
                            if (isSelected(rule)) {
                                history.setAll(page.items().stream()
                                        .filter(a -> !a.id().equals(alert.id()))
                                        .toList());
                            }
                        },
                        this::showProblem);
        session.executor()
                .run(
                        () -> session.api().metrics().series(alert.metric(), "1h"),
                        points -> {
                            if (isSelected(rule)) {
                                around.setAll(points.points());
                            }
                        },
                        this::showProblem);
    }

    private boolean isSelected(UUID rule) {
        @Nullable AlertView now = selected.get();
        return now != null && now.ruleId().equals(rule);
    }

    /** The alert in words: its rule, what it measured with units, since when, who is on it. */
    String describe(AlertView a) {
        var out = new StringBuilder();
        out.append(a.ruleName()).append(" — ").append(a.severity()).append('\n');
        out.append("Condition: ")
                .append(condition(a.metric(), a.op(), a.threshold()))
                .append(a.description().isBlank() ? "" : " (" + a.description() + ")")
                .append('\n');
        out.append(state(a)).append(" since ").append(when(a.startedAt()));
        if (a.firedAt() != null && a.firedValue() != null) {
            out.append("; fired at ")
                    .append(when(a.firedAt()))
                    .append(" with ")
                    .append(withUnit(a.metric(), a.firedValue()));
        }
        if (a.resolvedAt() != null) {
            out.append("; resolved at ").append(when(a.resolvedAt()));
        }
        out.append(" (").append(duration(a)).append(")\n");
        if (a.value() != null) {
            out.append(a.resolvedAt() == null ? "Now: " : "Last seen: ")
                    .append(withUnit(a.metric(), a.value()))
                    .append('\n');
        }
        AlertView.Acknowledgement ack = a.acknowledged();
        if (ack != null) {
            out.append("Acknowledged by ")
                    .append(ack.byName())
                    .append(" at ")
                    .append(when(ack.at()))
                    .append(ack.note() == null ? "" : ": \u201c" + ack.note() + "\u201d")
                    .append('\n');
        } else if (a.state().open()) {
            out.append("Nobody has said they are on it yet.\n");
        }
        if (a.silenced()) {
            out.append("Silenced: it is shown here but nobody is notified.\n");
        }
        return out.toString().strip();
    }

    /** A value with its series' unit: "0.083 ratio", "92.4 %". */
    public String withUnit(String metric, double value) {
        String unit = units.getOrDefault(metric, "");
        return number(value) + (unit.isEmpty() ? "" : unit.equals("%") ? " %" : " " + unit);
    }

    public static boolean canSilence(@Nullable AlertView alert) {
        return alert != null && alert.actions().contains(AlertAction.SILENCE);
    }

    public static boolean canAcknowledge(@Nullable AlertView alert) {
        return alert != null && alert.actions().contains(AlertAction.ACKNOWLEDGE);
    }

    /** Says the signed-in person is on {@code alert}, with an optional note. */
    public void acknowledge(AlertView alert, String note) {
        String said = note.strip();
        session.executor()
                .run(
                        () -> session.api().alerts().acknowledge(alert.id(), said.isEmpty() ? null : said),
                        updated -> {
                            done.set("You are on " + updated.ruleName() + ": everyone sees it.");
                            problem.set("");
                            refreshAlerts();
                        },
                        this::showProblem);
    }

    /** Silences {@code alert}'s rule for {@code length}; the reason is required and recorded. */
    public void silence(AlertView alert, SilenceFor length, String reason) {
        String why = reason.strip();
        if (why.isEmpty()) {
            problem.set("Say why it is silenced: the reason is kept with the silence.");
            return;
        }
        Instant until = clock.instant().plus(length.length);
        session.executor()
                .run(
                        () -> session.api().alerts().silence(alert.ruleName(), why, until),
                        silence -> {
                            done.set(alert.ruleName() + " is silenced until " + when(silence.endsAt()) + ".");
                            problem.set("");
                            refreshAlerts();
                        },
                        this::showProblem);
    }

    public void refreshAlerts() {
        String state = filter.get().state;
        session.executor()
                .run(() -> session.api().alerts().alerts(state, LIST_SIZE), this::showAlerts, this::showProblem);
    }

    private void showAlerts(Page<AlertView> page) {
        problem.set("");
        @Nullable AlertView chosen = selected.get();
        alerts.setAll(page.items());
        if (chosen != null) {
            // the same alert, as the server has it now (acknowledged, resolved…)
            selected.set(page.items().stream()
                    .filter(a -> a.id().equals(chosen.id()))
                    .findFirst()
                    .orElse(null));
        }
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

    public ZoneId zone() {
        return zone;
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

    public ObjectProperty<@Nullable AlertView> selectedProperty() {
        return selected;
    }

    public StringProperty detailsProperty() {
        return details;
    }

    /** The selected alert's rule's earlier alerts, newest first. */
    public ObservableList<AlertView> history() {
        return history;
    }

    /** The selected alert's metric over the last hour. */
    public ObservableList<SeriesPoints.Point> around() {
        return around;
    }

    public StringProperty doneProperty() {
        return done;
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
