package io.steward.console.backups;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupView;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;

/** The Backups screen's controller. */
public final class BackupsView {
    private final BackupsViewModel viewModel;

    @FXML
    private Label summary;

    @FXML
    private HBox actions;

    @FXML
    private Button backUpNow;

    @FXML
    private Button verify;

    @FXML
    private ProgressIndicator spinner;

    @FXML
    private Label progress;

    @FXML
    private Button cancel;

    @FXML
    private Label verdict;

    @FXML
    private Label drill;

    @FXML
    private Label problem;

    @FXML
    private TableView<BackupView> backupTable;

    @FXML
    private TableColumn<BackupView, String> started;

    @FXML
    private TableColumn<BackupView, String> trigger;

    @FXML
    private TableColumn<BackupView, String> status;

    @FXML
    private TableColumn<BackupView, String> size;

    @FXML
    private TableColumn<BackupView, String> tables;

    @FXML
    private TableColumn<BackupView, String> rows;

    @FXML
    private TableColumn<BackupView, String> took;

    @FXML
    private TableColumn<BackupView, String> restoreTest;

    @FXML
    private Label details;

    public BackupsView(BackupsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        summary.textProperty().bind(viewModel.summaryProperty());
        shownWhenSet(drill, viewModel.drillProperty());
        viewModel.drillWarningProperty().subscribe(warning -> {
            drill.getStyleClass().remove("drill-warning");
            if (warning) {
                drill.getStyleClass().add("drill-warning");
            }
        });
        shownWhenSet(problem, viewModel.problemProperty());
        shownWhenSet(verdict, viewModel.verdictProperty());
        progress.textProperty().bind(viewModel.progressProperty());
        spinner.visibleProperty().bind(viewModel.busyProperty());
        cancel.visibleProperty().bind(viewModel.busyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        actions.visibleProperty().bind(viewModel.canActProperty());
        actions.managedProperty().bind(viewModel.canActProperty());
        backUpNow.disableProperty().bind(viewModel.busyProperty());
        var notVerifiable = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> {
                    BackupView b = viewModel.selectedProperty().get();
                    return b == null || !b.actions().contains(BackupAction.VERIFY);
                },
                viewModel.selectedProperty());
        verify.disableProperty().bind(viewModel.busyProperty().or(notVerifiable));

        backupTable.setItems(viewModel.backups());
        text(started, b -> viewModel.when(b.createdAt()));
        text(trigger, b -> b.trigger().equals("scheduled") ? "daily schedule" : "by hand");
        text(status, b -> b.status().wireName());
        text(size, b -> BackupsViewModel.size(b.sizeBytes()));
        text(tables, b -> b.tables() == null ? "—" : b.tables().toString());
        text(rows, b -> b.rows() == null ? "—" : String.format(Locale.ENGLISH, "%,d", b.rows()));
        text(took, b -> BackupsViewModel.seconds(b.durationMs()));
        text(restoreTest, BackupsViewModel::restoreTest);
        backupTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(BackupView backup, boolean empty) {
                super.updateItem(backup, empty);
                getStyleClass().removeAll("backup-failed", "backup-running");
                if (!empty
                        && backup != null
                        && (backup.status() == BackupStatus.FAILED
                                || (backup.verifiedAt() != null && !backup.verified()))) {
                    getStyleClass().add("backup-failed");
                } else if (!empty && backup != null && backup.status() == BackupStatus.RUNNING) {
                    getStyleClass().add("backup-running");
                }
            }
        });
        backupTable.getSelectionModel().selectedItemProperty().subscribe(viewModel.selectedProperty()::set);
        viewModel.selectedProperty().subscribe(b -> {
            details.setText(viewModel.details(b));
            if (b != null && backupTable.getSelectionModel().getSelectedItem() != b) {
                backupTable.getSelectionModel().select(b);
            }
        });
    }

    @FXML
    private void onRefresh() {
        viewModel.refresh();
    }

    @FXML
    private void onBackUpNow() {
        viewModel.backUpNow();
    }

    @FXML
    private void onCancel() {
        viewModel.cancel();
    }

    @FXML
    private void onVerify() {
        viewModel.verifySelected();
    }
}
