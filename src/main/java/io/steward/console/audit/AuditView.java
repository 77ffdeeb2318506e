package io.steward.console.audit;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.Dates;
import io.steward.console.ui.History;
import io.steward.server.api.AuditEntry;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/** The Audit log screen's controller. */
public final class AuditView {
    private final AuditViewModel viewModel;

    @FXML
    private Label progress;

    @FXML
    private Button cancel;

    @FXML
    private Label summary;

    @FXML
    private Button verifyChain;

    @FXML
    private ProgressIndicator spinner;

    @FXML
    private Label verdict;

    @FXML
    private ComboBox<String> action;

    @FXML
    private TextField actor;

    @FXML
    private TextField subject;

    @FXML
    private DatePicker from;

    @FXML
    private DatePicker to;

    @FXML
    private Label problem;

    @FXML
    private TableView<AuditEntry> auditTable;

    @FXML
    private TableColumn<AuditEntry, String> when;

    @FXML
    private TableColumn<AuditEntry, String> what;

    @FXML
    private TableColumn<AuditEntry, String> actorColumn;

    @FXML
    private TableColumn<AuditEntry, String> subjectColumn;

    @FXML
    private TableColumn<AuditEntry, String> hash;

    @FXML
    private Button loadMore;

    @FXML
    private TextArea details;

    public AuditView(AuditViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void onCancel() {
        viewModel.cancelVerify();
    }

    @FXML
    private void initialize() {
        Dates.dayPicker(from);
        Dates.dayPicker(to);
        summary.textProperty().bind(viewModel.summaryProperty());
        shownWhenSet(problem, viewModel.problemProperty());
        verdict.textProperty().bind(viewModel.verdictProperty());
        spinner.visibleProperty().bind(viewModel.verifyingProperty());
        progress.textProperty().bind(viewModel.verifyProgressProperty());
        cancel.visibleProperty().bind(viewModel.verifyingProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        verifyChain.disableProperty().bind(viewModel.verifyingProperty());
        action.getItems().setAll(AuditViewModel.ACTIONS);
        action.valueProperty().bindBidirectional(viewModel.actionProperty());
        actor.textProperty().bindBidirectional(viewModel.actorProperty());
        subject.textProperty().bindBidirectional(viewModel.subjectProperty());
        from.valueProperty().bindBidirectional(viewModel.fromProperty());
        to.valueProperty().bindBidirectional(viewModel.toProperty());
        loadMore.visibleProperty().bind(viewModel.moreProperty());
        loadMore.managedProperty().bind(viewModel.moreProperty());

        auditTable.setItems(viewModel.entries());
        text(when, e -> viewModel.when(e.at()));
        text(what, AuditEntry::action);
        text(actorColumn, History::actor);
        text(subjectColumn, e -> AuditViewModel.shortId(e.subjectId()));
        text(hash, e -> e.hash().substring(0, 12));
        auditTable.getSelectionModel().selectedItemProperty().subscribe(viewModel.selectedProperty()::set);
        viewModel.selectedProperty().subscribe(entry -> details.setText(viewModel.details(entry)));
    }

    @FXML
    private void onApply() {
        viewModel.apply();
    }

    @FXML
    private void onClear() {
        viewModel.clear();
    }

    @FXML
    private void onLoadMore() {
        viewModel.loadMore();
    }

    @FXML
    private void onVerifyChain() {
        viewModel.verifyChain();
    }
}
