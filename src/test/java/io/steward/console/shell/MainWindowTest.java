package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.StewardClient;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The real main window, headless, against a real bundled server process. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    @TempDir
    static Path dataDir;

    private Stage stage;
    private MainWindowViewModel viewModel;

    private void open(Stage stage, ConnectionTarget target) {
        this.stage = stage;
        viewModel = new MainWindowViewModel(target, BundledServer::start, StewardClient::new, new FxTaskExecutor());
        stage.setScene(
                new Scene(ViewLoader.load(MainWindowView.class, () -> new MainWindowView(viewModel)), 1000, 640));
        stage.setTitle("Steward");
        stage.show();
        viewModel.connect();
    }

    @AfterEach
    void closeServer() {
        if (viewModel != null) {
            viewModel.close();
        }
    }

    private void awaitState(MainWindowViewModel.ConnectionState expected, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(
                seconds, TimeUnit.SECONDS, () -> viewModel.stateProperty().get() == expected);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void showsTheServerIsUpOnceTheBundledServerIsReady(FxRobot robot) throws Exception {
        robot.interact(() ->
                open(new Stage(), new ConnectionTarget(Optional.empty(), Optional.of(dataDir.resolve("bundled")), 0)));
        assertThat(robot.lookup("#connectionStatus").queryAs(Label.class).getText())
                .isEqualTo("Starting the Steward server on this computer…");

        awaitState(MainWindowViewModel.ConnectionState.READY, 180);

        assertThat(robot.lookup("#connectionStatus").queryAs(Label.class).getText())
                .isEqualTo("Connected to the server on this computer — the server is up");
        assertThat(robot.lookup("#serverUrl").queryAs(Label.class).getText()).startsWith("http://127.0.0.1:");
        assertThat(robot.lookup("#connectionDetail").queryAs(Label.class).getText())
                .matches("Database answered in \\d+ ms\\.");
        assertThat(robot.lookup("#retry").queryAs(Button.class).isVisible()).isFalse();
        Screenshots.write(stage.getScene(), "console-start.png");
    }

    @Test
    void saysClearlyWhenARemoteServerCannotBeReached(FxRobot robot) throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort);
        robot.interact(() -> open(new Stage(), new ConnectionTarget(Optional.of(url), Optional.empty(), 0)));

        awaitState(MainWindowViewModel.ConnectionState.FAILED, 30);

        assertThat(robot.lookup("#connectionStatus").queryAs(Label.class).getText())
                .isEqualTo("Cannot reach the server");
        assertThat(robot.lookup("#connectionDetail").queryAs(Label.class).getText())
                .isEqualTo("Nothing answers at " + url + ". Check the address and that the server is running.")
                .doesNotContain("Exception");
        assertThat(robot.lookup("#retry").queryAs(Button.class).isVisible()).isTrue();
        Screenshots.write(stage.getScene(), "console-unreachable.png");
    }
}
