package io.steward.console.gdpr;

import static io.steward.console.shell.Labels.shownWhenSet;
import static io.steward.console.shell.Tables.text;

import io.steward.console.shell.FileDialogs;
import io.steward.console.shell.History;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprRequestView;
import java.time.ZoneId;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The GDPR requests screen's controller. */
public final class GdprView {
    private final GdprViewModel viewModel;
    private final FileDialogs files;

    @FXML
    private Button export;

    @FXML
    private Button recipients;

    @FXML
    private Label summary;

    @FXML
    private ChoiceBox<String> status;

    @FXML
    private ChoiceBox<String> type;

    @FXML
    private CheckBox overdueOnly;

    @FXML
    private Label problem;

    @FXML
    private TableView<GdprRequestView> requestTable;

    @FXML
    private TableColumn<GdprRequestView, String> received;

    @FXML
    private TableColumn<GdprRequestView, String> kind;

    @FXML
    private TableColumn<GdprRequestView, String> subjectColumn;

    @FXML
    private TableColumn<GdprRequestView, String> state;

    @FXML
    private TableColumn<GdprRequestView, String> deadline;

    @FXML
    private TableColumn<GdprRequestView, String> left;

    @FXML
    private TextArea details;

    @FXML
    private TextField text;

    @FXML
    private VBox erasureBox;

    @FXML
    private Label erasureWarning;

    @FXML
    private TextField confirmation;

    @FXML
    private Button verify;

    @FXML
    private Button extend;

    @FXML
    private Button reject;

    @FXML
    private Button approve;

    @FXML
    private Button complete;

    @FXML
    private Label done;

    @FXML
    private ListView<AuditEntry> timelineList;

    @FXML
    private ProgressIndicator exportSpinner;

    @FXML
    private Label exportProgress;

    @FXML
    private Button cancelExport;

    private final ZoneId zone;

    public GdprView(GdprViewModel viewModel, FileDialogs files, ZoneId zone) {
        this.zone = zone;
        this.viewModel = viewModel;
        this.files = files;
    }

    @FXML
    private void onCancelExport() {
        viewModel.cancelExport();
    }

    @FXML
    private void initialize() {
        History.show(timelineList, zone, "Select a request to see its steps.");
        timelineList.setItems(viewModel.timeline());
        exportSpinner.visibleProperty().bind(viewModel.exportingProperty());
        exportSpinner.managedProperty().bind(exportSpinner.visibleProperty());
        shownWhenSet(exportProgress, viewModel.exportProgressProperty());
        cancelExport.visibleProperty().bind(viewModel.exportingProperty());
        cancelExport.managedProperty().bind(cancelExport.visibleProperty());
        summary.textProperty().bind(viewModel.summaryProperty());
        shownWhenSet(problem, viewModel.problemProperty());
        shownWhenSet(done, viewModel.doneProperty());
        status.getItems().setAll(List.of("", "received", "verified", "approved", "completed", "rejected"));
        status.setConverter(choice("any state"));
        status.valueProperty().bindBidirectional(viewModel.statusProperty());
        type.getItems().setAll(List.of("", "access", "rectification", "erasure", "restriction", "portability"));
        type.setConverter(choice("any type"));
        type.valueProperty().bindBidirectional(viewModel.typeProperty());
        overdueOnly.selectedProperty().bindBidirectional(viewModel.overdueOnlyProperty());
        requestTable.setItems(viewModel.requests());
        text(received, r -> viewModel.when(r.receivedAt()));
        text(kind, GdprRequestView::type);
        text(subjectColumn, r -> r.subjectName() == null ? "—" : r.subjectName());
        text(state, GdprRequestView::status);
        text(deadline, r -> viewModel.when(r.deadline()));
        text(left, viewModel::daysLeft);
        requestTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(GdprRequestView request, boolean empty) {
                super.updateItem(request, empty);
                getStyleClass().remove("request-overdue");
                if (!empty && request != null && request.overdue()) {
                    getStyleClass().add("request-overdue");
                }
            }
        });
        requestTable.getSelectionModel().selectedItemProperty().subscribe(viewModel.selectedProperty()::set);
        details.textProperty().bind(viewModel.detailsProperty());
        text.textProperty().bindBidirectional(viewModel.textProperty());
        confirmation.textProperty().bindBidirectional(viewModel.confirmationProperty());
        enable(verify, "verify");
        enable(extend, "extend");
        enable(reject, "reject");
        enable(approve, "approve");
        enable(complete, "complete");
        recipients
                .disableProperty()
                .bind(Bindings.createBooleanBinding(
                                () -> !viewModel.hasUntoldRecipients(), viewModel.selectedProperty())
                        .or(viewModel.busyProperty()));
        export.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !viewModel.canExport(), viewModel.selectedProperty())
                        .or(viewModel.busyProperty()));
        var erasing = Bindings.createBooleanBinding(
                () -> viewModel.selectedProperty().get() != null
                        && viewModel.selectedProperty().get().type().equals("erasure")
                        && viewModel.can("complete"),
                viewModel.selectedProperty());
        erasureBox.visibleProperty().bind(erasing);
        erasureBox.managedProperty().bind(erasing);
        erasureWarning
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> viewModel.subjectProperty().get() == null
                                ? ""
                                : "Completing erases "
                                        + viewModel.subjectProperty().get().name()
                                        + ": their name, e-mail, phone, address and birth date are anonymised in every table,"
                                        + " their sessions and messages go, and their audit values become unreadable."
                                        + " This cannot be undone. Type their e-mail address to confirm.",
                        viewModel.subjectProperty()));
    }

    private void enable(Button button, String step) {
        button.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !viewModel.can(step), viewModel.selectedProperty())
                        .or(viewModel.busyProperty()));
    }

    private static javafx.util.StringConverter<String> choice(String any) {
        return new javafx.util.StringConverter<>() {
            @Override
            public String toString(String value) {
                return value == null || value.isEmpty() ? any : value;
            }

            @Override
            public String fromString(String text) {
                return text.equals(any) ? "" : text;
            }
        };
    }

    @FXML
    private void onRefresh() {
        viewModel.refresh();
    }

    @FXML
    private void onRecipients() {
        viewModel.recipientsTold();
    }

    @FXML
    private void onExport() {
        files.saveAs(details.getScene().getWindow(), "Save the subject's data", viewModel.exportName(), "JSON files")
                .ifPresent(viewModel::saveExport);
    }

    @FXML
    private void onVerify() {
        viewModel.step("verify");
    }

    @FXML
    private void onExtend() {
        viewModel.step("extend");
    }

    @FXML
    private void onReject() {
        viewModel.step("reject");
    }

    @FXML
    private void onApprove() {
        viewModel.step("approve");
    }

    @FXML
    private void onComplete() {
        viewModel.step("complete");
    }
}
