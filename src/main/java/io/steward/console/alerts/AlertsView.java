package io.steward.console.alerts;

import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.ViewLoader;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;

/** The Alerts screen's controller: the two tables, the filter, and the rule editor dialog. */
public final class AlertsView {
    private final AlertsViewModel viewModel;

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

    public AlertsView(AlertsViewModel viewModel) {
        this.viewModel = viewModel;
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
        text(alertSilenced, a -> a.silenced() ? "silenced" : "");
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

    /** Durations of active alerts grow: redraw the cells (called each second). */
    public void tick() {
        alertTable.refresh();
    }

    @FXML
    private void onRefresh() {
        viewModel.refreshAlerts();
        viewModel.refreshRules();
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
        var confirm = new Alert(
                Alert.AlertType.CONFIRMATION,
                "Delete the rule “" + rule.name() + "”? Its past alerts stay in the history.",
                ButtonType.CANCEL,
                ButtonType.OK);
        confirm.setHeaderText("Delete alert rule");
        confirm.initOwner(ruleTable.getScene().getWindow());
        confirm.getDialogPane().getStylesheets().setAll(ruleTable.getScene().getStylesheets());
        confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(ok -> viewModel.delete(rule));
    }
}
