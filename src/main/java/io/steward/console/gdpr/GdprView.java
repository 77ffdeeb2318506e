package io.steward.console.gdpr;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.Confirm;
import io.steward.console.ui.FileDialogs;
import io.steward.console.ui.History;
import io.steward.console.ui.Tables;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import java.time.ZoneId;
import java.util.Arrays;
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
    private Label confirmationHint;

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
        status.getItems()
                .setAll(anyOr(java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(GdprStatus.OPEN),
                        Arrays.stream(GdprStatus.values()).map(GdprStatus::wireName))));
        status.setConverter(choice("any state"));
        status.valueProperty().bindBidirectional(viewModel.statusProperty());
        type.getItems().setAll(anyOr(Arrays.stream(GdprType.values()).map(GdprType::wireName)));
        type.setConverter(choice("any type"));
        type.valueProperty().bindBidirectional(viewModel.typeProperty());
        overdueOnly.selectedProperty().bindBidirectional(viewModel.overdueOnlyProperty());
        requestTable.setItems(viewModel.requests());
        text(received, r -> viewModel.when(r.receivedAt()));
        text(kind, r -> r.type().wireName());
        text(subjectColumn, r -> r.subjectName() == null ? "—" : r.subjectName());
        text(state, GdprViewModel::waitingForShort);
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
        Tables.pickedWith(requestTable, viewModel.selectedProperty());
        details.textProperty().bind(viewModel.detailsProperty());
        text.textProperty().bindBidirectional(viewModel.textProperty());
        confirmation.textProperty().bindBidirectional(viewModel.confirmationProperty());
        enable(verify, GdprAction.VERIFY);
        enable(extend, GdprAction.EXTEND);
        enable(reject, GdprAction.REJECT);
        enable(approve, GdprAction.APPROVE);
        complete.disableProperty()
                .bind(Bindings.createBooleanBinding(
                                () -> !viewModel.completeAllowed(),
                                viewModel.selectedProperty(),
                                viewModel.subjectProperty(),
                                viewModel.confirmationProperty())
                        .or(viewModel.busyProperty()));
        confirmationHint
                .textProperty()
                .bind(Bindings.createStringBinding(
                        viewModel::confirmationHint,
                        viewModel.selectedProperty(),
                        viewModel.subjectProperty(),
                        viewModel.confirmationProperty()));
        enable(recipients, GdprAction.NOTIFY_RECIPIENT);
        enable(export, GdprAction.EXPORT);
        var erasing = Bindings.createBooleanBinding(viewModel::erasing, viewModel.selectedProperty());
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

    private void enable(Button button, GdprAction step) {
        button.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> !viewModel.can(step), viewModel.selectedProperty())
                        .or(viewModel.busyProperty()));
    }

    /** The choices of a filter: "" (any) first, then the wire names. */
    private static List<String> anyOr(java.util.stream.Stream<String> names) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(""), names)
                .toList();
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
        viewModel.step(GdprAction.VERIFY);
    }

    @FXML
    private void onExtend() {
        viewModel.step(GdprAction.EXTEND);
    }

    @FXML
    private void onReject() {
        viewModel.step(GdprAction.REJECT);
    }

    @FXML
    private void onApprove() {
        var subject = viewModel.subjectProperty().get();
        Confirm.destructive(
                approve,
                "approve-erasure",
                "Approve this erasure?",
                "Once approved, completing it erases "
                        + (subject == null ? "the subject" : subject.name())
                        + "'s personal data everywhere, and that cannot be undone. Your approval is recorded with"
                        + " your name.",
                "Approve erasure",
                () -> viewModel.step(GdprAction.APPROVE));
    }

    @FXML
    private void onComplete() {
        viewModel.step(GdprAction.COMPLETE);
    }
}
