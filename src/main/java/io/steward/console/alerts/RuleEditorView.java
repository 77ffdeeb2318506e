package io.steward.console.alerts;

import java.util.Map;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** The rule editor's fields, bound to a {@link RuleForm}; the field the server objects to is marked. */
public final class RuleEditorView {
    private final RuleForm form;
    private final ObservableList<String> metrics;

    @FXML
    private TextField name;

    @FXML
    private ComboBox<String> metric;

    @FXML
    private ChoiceBox<String> op;

    @FXML
    private TextField threshold;

    @FXML
    private TextField forSeconds;

    @FXML
    private ChoiceBox<String> severity;

    @FXML
    private TextField description;

    @FXML
    private CheckBox enabled;

    @FXML
    private Label metricHelp;

    @FXML
    private Label error;

    public RuleEditorView(RuleForm form, ObservableList<String> metrics) {
        this.form = form;
        this.metrics = metrics;
    }

    @FXML
    private void initialize() {
        name.textProperty().bindBidirectional(form.nameProperty());
        metric.setItems(metrics);
        metric.valueProperty().bindBidirectional(form.metricProperty());
        op.getItems().setAll(AlertsViewModel.operators());
        op.valueProperty().bindBidirectional(form.opProperty());
        threshold.textProperty().bindBidirectional(form.thresholdProperty());
        forSeconds.textProperty().bindBidirectional(form.forSecondsProperty());
        severity.getItems().setAll(AlertsViewModel.severities());
        severity.valueProperty().bindBidirectional(form.severityProperty());
        description.textProperty().bindBidirectional(form.descriptionProperty());
        enabled.selectedProperty().bindBidirectional(form.enabledProperty());
        metricHelp.setText("The metric is one of the series the server samples each second (see the Metrics screen). "
                + "Ratios are 0 to 1: 5 % is 0.05.");
        error.textProperty().bind(form.errorProperty());
        error.visibleProperty().bind(form.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Map<String, Control> fields = Map.of(
                "name", name,
                "metric", metric,
                "op", op,
                "threshold", threshold,
                "forSeconds", forSeconds,
                "severity", severity,
                "description", description);
        form.errorFieldProperty().subscribe(field -> {
            fields.values().forEach(control -> control.getStyleClass().remove("field-error"));
            Control wrong = fields.get(field);
            if (wrong != null) {
                wrong.getStyleClass().add("field-error");
                wrong.requestFocus();
            }
        });
        name.sceneProperty().subscribe(scene -> {
            if (scene != null) {
                name.requestFocus();
            }
        });
    }
}
