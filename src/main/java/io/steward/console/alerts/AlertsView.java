package io.steward.console.alerts;

import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.Confirm;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Tables;
import io.steward.console.ui.ViewLoader;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.SilenceView;
import java.time.Instant;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

/**
 * The Alerts screen's controller: the alerts with the selected one's pane (silence, say one is on
 * it, its chart and history), the silences, the rules and the rule editor dialog.
 */
public final class AlertsView {
    private final AlertsViewModel viewModel;
    private final SilencesViewModel silences;

    @FXML
    private TableColumn<AlertView, String> alertOwner;

    @FXML
    private Button silence;

    @FXML
    private Button acknowledge;

    @FXML
    private Label done;

    @FXML
    private Label alertDetails;

    @FXML
    private ListView<AlertView> alertHistory;

    @FXML
    private LineChart<Number, Number> alertChart;

    @FXML
    private NumberAxis alertChartTime;

    @FXML
    private Button endSilence;

    @FXML
    private Label silenceProblem;

    @FXML
    private TableView<SilenceView> silenceTable;

    @FXML
    private TableColumn<SilenceView, String> silenceRule;

    @FXML
    private TableColumn<SilenceView, String> silenceReason;

    @FXML
    private TableColumn<SilenceView, String> silenceBy;

    @FXML
    private TableColumn<SilenceView, String> silenceFrom;

    @FXML
    private TableColumn<SilenceView, String> silenceUntil;

    @FXML
    private TableColumn<SilenceView, String> silenceState;

    @FXML
    private Label summary;

    @FXML
    private Label problem;

    @FXML
    private ChoiceBox<AlertsViewModel.Filter> filter;

    @FXML
    private TableView<AlertView> alertTable;

    @FXML
    private TableColumn<AlertView, String> alertState;

    @FXML
    private TableColumn<AlertView, String> alertSeverity;

    @FXML
    private TableColumn<AlertView, String> alertRule;

    @FXML
    private TableColumn<AlertView, String> alertCondition;

    @FXML
    private TableColumn<AlertView, String> alertValue;

    @FXML
    private TableColumn<AlertView, String> alertStarted;

    @FXML
    private TableColumn<AlertView, String> alertDuration;

    @FXML
    private TableColumn<AlertView, String> alertSilenced;

    @FXML
    private HBox ruleActions;

    @FXML
    private Button editRule;

    @FXML
    private Button deleteRule;

    @FXML
    private TableView<AlertRuleView> ruleTable;

    @FXML
    private TableColumn<AlertRuleView, String> ruleName;

    @FXML
    private TableColumn<AlertRuleView, String> ruleCondition;

    @FXML
    private TableColumn<AlertRuleView, String> ruleFor;

    @FXML
    private TableColumn<AlertRuleView, String> ruleSeverity;

    @FXML
    private TableColumn<AlertRuleView, String> ruleEnabled;

    @FXML
    private TableColumn<AlertRuleView, String> ruleDescription;

    public AlertsView(AlertsViewModel viewModel, SilencesViewModel silences) {
        this.viewModel = viewModel;
        this.silences = silences;
    }

    @FXML
    private void initialize() {
        summary.textProperty().bind(viewModel.summaryProperty());
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        filter.getItems().setAll(AlertsViewModel.Filter.values());
        filter.valueProperty().bindBidirectional(viewModel.filterProperty());

        alertTable.setItems(viewModel.alerts());
        text(alertState, AlertsViewModel::state);
        text(alertSeverity, AlertView::severity);
        text(alertRule, AlertView::ruleName);
        text(alertCondition, a -> AlertsViewModel.condition(a.metric(), a.op(), a.threshold()));
        text(alertValue, a -> a.value() == null ? "—" : AlertsViewModel.number(a.value()));
        text(alertStarted, a -> viewModel.when(a.startedAt()));
        text(alertDuration, viewModel::duration);
        text(alertOwner, a -> a.acknowledged() == null ? "" : a.acknowledged().byName());
        text(alertSilenced, a -> a.silenced() ? "silenced" : "");
        bindAlertPane();
        bindSilences();
        alertTable.setRowFactory(table -> new TableRow<>() {
            @Override
            protected void updateItem(AlertView alert, boolean empty) {
                super.updateItem(alert, empty);
                getStyleClass().removeAll("alert-firing", "alert-pending", "alert-resolved");
                if (!empty && alert != null) {
                    getStyleClass().add("alert-" + alert.state().wireName());
                }
            }
        });

        ruleTable.setItems(viewModel.rules());
        text(ruleName, AlertRuleView::name);
        text(ruleCondition, r -> AlertsViewModel.condition(r.metric(), r.op(), r.threshold()));
        text(ruleFor, r -> AlertsViewModel.forTime(r.forSeconds()));
        text(ruleSeverity, AlertRuleView::severity);
        text(ruleEnabled, r -> r.enabled() ? "yes" : "no");
        text(ruleDescription, AlertRuleView::description);
        // only those who may change rules see the buttons at all; each rule's actions enable them
        ruleActions.visibleProperty().bind(viewModel.canEditProperty());
        ruleActions.managedProperty().bind(ruleActions.visibleProperty());
        var chosen = ruleTable.getSelectionModel().selectedItemProperty();
        editRule.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !AlertsViewModel.canEdit(chosen.get()), chosen));
        deleteRule
                .disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !AlertsViewModel.canDelete(chosen.get()), chosen));
        ruleTable.setOnMouseClicked(event -> {
            if (event.getClickCount() == 2 && AlertsViewModel.canEdit(chosen.get())) {
                onEditRule();
            }
        });
        ruleTable.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER && AlertsViewModel.canEdit(chosen.get())) {
                onEditRule();
            } else if (event.getCode() == KeyCode.DELETE && AlertsViewModel.canDelete(chosen.get())) {
                onDeleteRule();
            }
        });
    }

    private void bindAlertPane() {
        // the person picks a row; a refresh brings the same alert as it is now, which the table then shows picked
        Tables.pickedWith(alertTable, viewModel.selectedProperty());
        alertDetails.textProperty().bind(viewModel.detailsProperty());
        done.textProperty().bind(viewModel.doneProperty());
        var chosen = viewModel.selectedProperty();
        silence.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !AlertsViewModel.canSilence(chosen.get()), chosen));
        acknowledge
                .disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !AlertsViewModel.canAcknowledge(chosen.get()), chosen));
        alertHistory.setItems(viewModel.history());
        alertHistory.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(AlertView alert, boolean empty) {
                super.updateItem(alert, empty);
                setText(
                        empty || alert == null
                                ? null
                                : AlertsViewModel.state(alert) + " " + viewModel.when(alert.startedAt()) + " for "
                                        + viewModel.duration(alert));
            }
        });
        alertChartTime.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                return Dates.CLOCK.format(
                        Instant.ofEpochSecond(seconds.longValue()).atZone(viewModel.zone()));
            }

            @Override
            public Number fromString(String text) {
                return 0;
            }
        });
        viewModel.around().subscribe(this::drawChart);
        var menu = new ContextMenu();
        var silenceItem = new MenuItem("Silence…");
        silenceItem.setOnAction(event -> onSilence());
        silenceItem.disableProperty().bind(silence.disableProperty());
        var ackItem = new MenuItem("I am on it…");
        ackItem.setOnAction(event -> onAcknowledge());
        ackItem.disableProperty().bind(acknowledge.disableProperty());
        menu.getItems().setAll(silenceItem, ackItem);
        alertTable.setContextMenu(menu);
    }

    /** The metric over the last hour, and the rule's threshold across it. */
    private void drawChart() {
        AlertView alert = viewModel.selectedProperty().get();
        var values = new XYChart.Series<Number, Number>();
        var threshold = new XYChart.Series<Number, Number>();
        viewModel.around().forEach(p -> values.getData().add(new XYChart.Data<>(p.at().getEpochSecond(), p.value())));
        if (alert != null && !viewModel.around().isEmpty()) {
            long first = viewModel.around().getFirst().at().getEpochSecond();
            long last = viewModel.around().getLast().at().getEpochSecond();
            threshold.getData().add(new XYChart.Data<>(first, alert.threshold()));
            threshold.getData().add(new XYChart.Data<>(last, alert.threshold()));
            alertChart.setTitle(alert.metric() + ", last hour");
        }
        alertChart.getData().setAll(List.of(values, threshold));
    }

    private void bindSilences() {
        silenceTable.setItems(silences.silences());
        text(silenceRule, SilenceView::matcher);
        text(silenceReason, SilenceView::reason);
        text(silenceBy, SilenceView::createdByName);
        text(silenceFrom, s -> silences.when(s.startsAt()));
        text(silenceUntil, s -> silences.when(s.endedAt() != null ? s.endedAt() : s.endsAt()));
        text(silenceState, SilencesViewModel::state);
        silenceProblem.textProperty().bind(silences.problemProperty());
        var chosen = silenceTable.getSelectionModel().selectedItemProperty();
        endSilence
                .disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !SilencesViewModel.canEnd(chosen.get()), chosen));
    }

    @FXML
    private void onSilence() {
        AlertView alert = viewModel.selectedProperty().get();
        if (!AlertsViewModel.canSilence(alert)) {
            return;
        }
        var length = new ChoiceBox<AlertsViewModel.SilenceFor>();
        length.getItems().setAll(AlertsViewModel.SilenceFor.values());
        length.setValue(AlertsViewModel.SilenceFor.HOUR);
        length.setId("silence-length");
        var reason = new TextField();
        reason.setId("silence-reason");
        reason.setPromptText("Why, for whoever looks later (required)");
        var form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("For"), length);
        form.addRow(1, new Label("Reason"), reason);
        GridPane.setHgrow(reason, javafx.scene.layout.Priority.ALWAYS);
        ask(
                        "silence-dialog",
                        "silence-confirm",
                        "Silence an alert",
                        "Hold back the notifications of “" + alert.ruleName()
                                + "”. It stays listed here; the silence and its reason are recorded with your name.",
                        form,
                        "Silence",
                        reason,
                        () -> viewModel.silence(alert, length.getValue(), reason.getText()))
                .disableProperty()
                .bind(reason.textProperty().isEmpty());
    }

    @FXML
    private void onAcknowledge() {
        AlertView alert = viewModel.selectedProperty().get();
        if (!AlertsViewModel.canAcknowledge(alert)) {
            return;
        }
        var note = new TextField();
        note.setId("acknowledge-note");
        note.setPromptText("What you are doing, if you want to say (optional)");
        ask(
                "acknowledge-dialog",
                "acknowledge-confirm",
                "On the alert",
                "Tell everyone you are on “" + alert.ruleName() + "”. Your name and the time are recorded.",
                note,
                "I am on it",
                note,
                () -> viewModel.acknowledge(alert, note.getText()));
    }

    /**
     * Shows one of this screen's dialogs: a confirming button and Cancel, the focus in {@code
     * focus}; {@code then} runs once confirmed. Returns the confirming button.
     */
    private Button ask(
            String dialogId,
            String confirmId,
            String title,
            String header,
            Node content,
            String confirmText,
            Node focus,
            Runnable then) {
        var dialog = new Dialog<ButtonType>();
        dialog.setTitle(title);
        dialog.setHeaderText(header);
        dialog.initOwner(alertTable.getScene().getWindow());
        dialog.getDialogPane().setId(dialogId);
        dialog.getDialogPane().getStylesheets().setAll(alertTable.getScene().getStylesheets());
        dialog.getDialogPane().setContent(content);
        var confirm = new ButtonType(confirmText, ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        Button button = (Button) dialog.getDialogPane().lookupButton(confirm);
        button.setId(confirmId);
        dialog.setOnShown(event -> focus.requestFocus());
        dialog.setOnHidden(event -> {
            if (confirm.equals(dialog.getResult())) {
                then.run();
            }
        });
        dialog.show();
        return button;
    }

    @FXML
    private void onEndSilence() {
        SilenceView chosen = silenceTable.getSelectionModel().getSelectedItem();
        if (SilencesViewModel.canEnd(chosen)) {
            silences.end(chosen);
        }
    }

    /** Durations of active alerts grow: redraw the cells (called each second). */
    public void tick() {
        alertTable.refresh();
    }

    @FXML
    private void onRefresh() {
        viewModel.refreshAlerts();
        viewModel.refreshRules();
        silences.refresh();
    }

    @FXML
    private void onNewRule() {
        edit(viewModel.newForm());
    }

    @FXML
    private void onEditRule() {
        AlertRuleView rule = ruleTable.getSelectionModel().getSelectedItem();
        if (rule != null) {
            edit(viewModel.form(rule));
        }
    }

    private void edit(RuleForm form) {
        var dialog = new Dialog<ButtonType>();
        dialog.setTitle(form.isNew() ? "New alert rule" : "Edit alert rule");
        dialog.setHeaderText(
                form.isNew()
                        ? "Fire when a metric crosses a threshold for a while."
                        : "Change the rule “" + form.nameProperty().get() + "”.");
        dialog.initOwner(ruleTable.getScene().getWindow());
        dialog.getDialogPane().setId("rule-editor");
        dialog.getDialogPane().getStylesheets().setAll(ruleTable.getScene().getStylesheets());
        dialog.getDialogPane()
                .setContent(ViewLoader.load(RuleEditorView.class, () -> new RuleEditorView(form, viewModel.metrics())));
        var save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) dialog.getDialogPane().lookupButton(save);
        saveButton.setId("rule-save");
        saveButton.disableProperty().bind(form.busyProperty());
        // the dialog stays open until the server has accepted the rule
        saveButton.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            form.save(saved -> {
                dialog.setResult(save);
                dialog.close();
                viewModel.refreshRules();
            });
        });
        // a message appearing under the fields makes the content taller: grow the window with it, or the buttons go
        form.errorProperty().subscribe(error -> {
            var window = dialog.getDialogPane().getScene().getWindow();
            if (window != null) {
                window.sizeToScene();
            }
        });
        dialog.show();
    }

    @FXML
    private void onDeleteRule() {
        AlertRuleView rule = ruleTable.getSelectionModel().getSelectedItem();
        if (rule == null) {
            return;
        }
        Confirm.destructive(
                ruleTable,
                "delete-rule",
                "Delete alert rule",
                "Delete the rule “" + rule.name() + "”? Its past alerts stay in the history.",
                "Delete rule",
                () -> viewModel.delete(rule));
    }
}
