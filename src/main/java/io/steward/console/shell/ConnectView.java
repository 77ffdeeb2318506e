package io.steward.console.shell;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;

/** The Connect page: this computer or a server address. */
public final class ConnectView {
    private final MainWindowViewModel viewModel;

    @FXML
    private Button thisComputer;

    @FXML
    private TextField address;

    @FXML
    private Button connect;

    @FXML
    private HBox progressRow;

    @FXML
    private Label progress;

    @FXML
    private Label error;

    public ConnectView(MainWindowViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        address.textProperty().bindBidirectional(viewModel.addressProperty());
        thisComputer.disableProperty().bind(viewModel.busyProperty());
        connect.disableProperty().bind(viewModel.busyProperty());
        address.disableProperty().bind(viewModel.busyProperty());
        progressRow.visibleProperty().bind(viewModel.busyProperty());
        progressRow.managedProperty().bind(viewModel.busyProperty());
        progress.textProperty().bind(viewModel.progressProperty());
        error.textProperty().bind(viewModel.connectErrorProperty());
        error.visibleProperty().bind(viewModel.connectErrorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
    }

    @FXML
    private void onThisComputer() {
        viewModel.chooseThisComputer();
    }

    @FXML
    private void onAddress() {
        viewModel.chooseAddress();
    }
}
