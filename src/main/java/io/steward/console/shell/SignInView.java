package io.steward.console.shell;

import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;

/** The Sign-in page. */
public final class SignInView {
    private final MainWindowViewModel viewModel;

    @FXML
    private Label server;

    @FXML
    private TextField email;

    @FXML
    private PasswordField password;

    @FXML
    private Label message;

    @FXML
    private Button signIn;

    @FXML
    private ProgressIndicator busy;

    @FXML
    private Label hint;

    @FXML
    private Hyperlink otherServer;

    public SignInView(MainWindowViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        server.textProperty().bind(viewModel.serverLabelProperty().map(label -> "Server: " + label));
        email.textProperty().bindBidirectional(viewModel.emailProperty());
        password.textProperty().bindBidirectional(viewModel.passwordProperty());
        message.textProperty().bind(viewModel.signInMessageProperty());
        message.visibleProperty().bind(viewModel.signInMessageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        viewModel.signInMessageIsErrorProperty().subscribe(error -> {
            message.getStyleClass().removeAll("error-text", "info-text");
            message.getStyleClass().add(error ? "error-text" : "info-text");
        });
        signIn.disableProperty().bind(viewModel.busyProperty());
        busy.visibleProperty().bind(viewModel.busyProperty());
        hint.textProperty().bind(viewModel.signInHintProperty());
        hint.visibleProperty().bind(viewModel.signInHintProperty().isNotEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        otherServer.disableProperty().bind(viewModel.busyProperty());
        // the page is shown when the window needs a sign-in: put the cursor where typing starts
        email.sceneProperty().subscribe(scene -> Platform.runLater(this::focusFirstEmptyField));
        viewModel.pageProperty().subscribe(page -> {
            if (page == MainWindowViewModel.Page.SIGN_IN) {
                Platform.runLater(this::focusFirstEmptyField);
            }
        });
    }

    private void focusFirstEmptyField() {
        (email.getText().isBlank() ? email : password).requestFocus();
    }

    @FXML
    private void onSignIn() {
        viewModel.signIn();
    }

    @FXML
    private void onOtherServer() {
        viewModel.changeServer();
    }
}
