package io.steward.console.shell;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;

/** The main window's controller: binds the FXML to {@link MainWindowViewModel}, nothing more. */
public final class MainWindowView {
    private final MainWindowViewModel viewModel;

    @FXML
    private Label connectionStatus;

    @FXML
    private Label connectionDetail;

    @FXML
    private Label serverUrl;

    @FXML
    private ProgressIndicator progress;

    @FXML
    private Button retry;

    public MainWindowView(MainWindowViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        connectionStatus.textProperty().bind(viewModel.statusProperty());
        connectionDetail.textProperty().bind(viewModel.detailProperty());
        serverUrl.textProperty().bind(viewModel.serverUrlProperty());
        progress.visibleProperty().bind(viewModel.busyProperty());
        progress.managedProperty().bind(viewModel.busyProperty());
        retry.disableProperty().bind(viewModel.busyProperty());
        retry.managedProperty().bind(retry.visibleProperty());
        retry.visibleProperty()
                .bind(viewModel
                        .stateProperty()
                        .isEqualTo(MainWindowViewModel.ConnectionState.FAILED)
                        .or(viewModel.stateProperty().isEqualTo(MainWindowViewModel.ConnectionState.NOT_READY)));
        viewModel.stateProperty().addListener((obs, old, now) -> {
            connectionStatus.getStyleClass().removeAll("state-ready", "state-failed", "state-waiting");
            connectionStatus
                    .getStyleClass()
                    .add(
                            switch (now) {
                                case READY -> "state-ready";
                                case FAILED, NOT_READY -> "state-failed";
                                case STARTING, CONNECTING -> "state-waiting";
                            });
        });
    }

    @FXML
    private void onRetry() {
        viewModel.connect();
    }
}
