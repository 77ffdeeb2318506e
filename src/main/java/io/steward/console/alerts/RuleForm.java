package io.steward.console.alerts;

import io.steward.console.client.ApiException;
import io.steward.console.session.Session;
import io.steward.console.ui.Text;
import io.steward.server.api.AlertRuleRequest;
import io.steward.server.api.AlertRuleView;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * The rule editor's fields and its save. Numbers are checked here so a typing slip is named at
 * once; everything else is the server's to judge, and its answer names the field.
 */
public final class RuleForm {
    private final Session session;
    private final @Nullable AlertRuleView original;
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty metric = new SimpleStringProperty("");
    private final StringProperty op = new SimpleStringProperty(">");
    private final StringProperty threshold = new SimpleStringProperty("");
    private final StringProperty forSeconds = new SimpleStringProperty("60");
    private final StringProperty severity = new SimpleStringProperty("warning");
    private final StringProperty description = new SimpleStringProperty("");
    private final BooleanProperty enabled = new SimpleBooleanProperty(true);
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty errorField = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    RuleForm(Session session, @Nullable AlertRuleView rule) {
        this.session = session;
        this.original = rule;
        if (rule != null) {
            name.set(rule.name());
            metric.set(rule.metric());
            op.set(rule.op());
            threshold.set(AlertsViewModel.number(rule.threshold()));
            forSeconds.set(Integer.toString(rule.forSeconds()));
            severity.set(rule.severity());
            description.set(rule.description());
            enabled.set(rule.enabled());
        }
    }

    public boolean isNew() {
        return original == null;
    }

    /** Sends the rule; {@code onSaved} gets the stored rule, or the form shows what is wrong. */
    public void save(Consumer<AlertRuleView> onSaved) {
        Double limit = parse(threshold.get(), "threshold", "The threshold must be a number, such as 0.05 or 90.");
        if (limit == null) {
            return;
        }
        Double hold = parse(forSeconds.get(), "forSeconds", "“For” must be a whole number of seconds.");
        if (hold == null) {
            return;
        }
        if (hold != Math.rint(hold)) {
            fail("forSeconds", "“For” must be a whole number of seconds.");
            return;
        }
        var request = new AlertRuleRequest(
                name.get().strip(),
                metric.get() == null ? "" : metric.get().strip(),
                op.get(),
                limit,
                hold.intValue(),
                severity.get(),
                description.get().strip(),
                enabled.get());
        busy.set(true);
        error.set("");
        errorField.set("");
        AlertRuleView editing = original;
        session.executor()
                .run(
                        () -> editing == null
                                ? session.api().alerts().create(request)
                                : session.api().alerts().update(editing.id(), editing.version(), request),
                        saved -> {
                            busy.set(false);
                            onSaved.accept(saved);
                        },
                        failure -> {
                            busy.set(false);
                            if (failure instanceof ApiException api && api.status() == 412) {
                                fail(
                                        "",
                                        "Someone changed this rule while you were editing it. Close the editor and open the rule again to see their change.");
                            } else if (failure instanceof ApiException api
                                    && api.field().filter("metric"::equals).isPresent()) {
                                fail(
                                        "metric",
                                        "This server has no series called “" + request.metric()
                                                + "”. Pick one from the list.");
                            } else if (failure instanceof ApiException api
                                    && api.field().isPresent()) {
                                fail(api.field().get(), Text.capitalised(api.serverMessage()) + ".");
                            } else {
                                fail("", Text.problem(failure));
                            }
                        });
    }

    private @Nullable Double parse(String text, String field, String message) {
        try {
            double value = Double.parseDouble(text.strip().replace(',', '.').toLowerCase(Locale.ROOT));
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        fail(field, message);
        return null;
    }

    private void fail(String field, String message) {
        errorField.set(field);
        error.set(message);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty metricProperty() {
        return metric;
    }

    public StringProperty opProperty() {
        return op;
    }

    public StringProperty thresholdProperty() {
        return threshold;
    }

    public StringProperty forSecondsProperty() {
        return forSeconds;
    }

    public StringProperty severityProperty() {
        return severity;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    /** What is wrong, in words; empty when nothing is. */
    public StringProperty errorProperty() {
        return error;
    }

    /** The field the error is about ({@code name}, {@code metric}, {@code threshold}, …), or empty. */
    public StringProperty errorFieldProperty() {
        return errorField;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }
}
