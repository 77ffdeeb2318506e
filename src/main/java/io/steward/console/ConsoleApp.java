package io.steward.console;

import io.steward.console.client.StewardClient;
import io.steward.console.shell.BundledServer;
import io.steward.console.shell.ConnectionTarget;
import io.steward.console.shell.FxTaskExecutor;
import io.steward.console.shell.MainWindowView;
import io.steward.console.shell.MainWindowViewModel;
import io.steward.console.shell.ViewLoader;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The console application: builds the main window and, unless {@code --server URL} names a
 * server to use, starts the bundled server on this computer.
 */
public final class ConsoleApp extends Application {
    private MainWindowViewModel viewModel;

    @Override
    public void start(Stage stage) {
        ConnectionTarget target = ConnectionTarget.fromArguments(getParameters().getRaw());
        viewModel = new MainWindowViewModel(target, BundledServer::start, StewardClient::new, new FxTaskExecutor());
        Scene scene = new Scene(ViewLoader.load(MainWindowView.class, () -> new MainWindowView(viewModel)), 1100, 720);
        stage.setTitle("Steward");
        stage.setScene(scene);
        stage.setOnCloseRequest(event -> shutDown());
        stage.show();
        viewModel.connect();
    }

    @Override
    public void stop() {
        shutDown();
    }

    private void shutDown() {
        // JavaFX on GTK can crash on exit while popups are open: close them first
        List.copyOf(Window.getWindows()).stream()
                .filter(PopupWindow.class::isInstance)
                .forEach(Window::hide);
        if (viewModel != null) {
            viewModel.close();
        }
        Platform.exit();
    }
}
