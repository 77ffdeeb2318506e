package io.steward.console.testsupport;

import io.steward.console.ConsoleApp;
import io.steward.console.shell.MainWindowViewModel;
import io.steward.console.startup.BundledServer;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.SettingsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real console window, wired as the application wires it (real client, real bundled-server
 * starter), in a stage of its own, with its settings in a fresh folder.
 */
public final class ConsoleWindow implements AutoCloseable {
    private final FxRobot robot;
    private final Stage stage;
    private final MainWindowViewModel viewModel;
    private final Path configDir;
    private final FolderFiles files;

    private ConsoleWindow(
            FxRobot robot, Stage stage, MainWindowViewModel viewModel, Path configDir, FolderFiles files) {
        this.robot = robot;
        this.stage = stage;
        this.viewModel = viewModel;
        this.configDir = configDir;
        this.files = files;
    }

    /** Opens a window with these command-line options and starts it (Connect page, or straight on). */
    public static ConsoleWindow open(FxRobot robot, List<String> args) {
        return open(robot, args, freshConfigFolder());
    }

    public static ConsoleWindow open(FxRobot robot, List<String> args, Path configDir) {
        var holder = new ConsoleWindow[1];
        var store = new SettingsStore(configDir);
        var settings = store.load(); // as the app does: read before the window, off the UI thread
        var files = new FolderFiles(configDir);
        robot.interact(() -> {
            var stage = new Stage();
            var viewModel = ConsoleApp.open(
                    stage,
                    LaunchOptions.parse(args),
                    store,
                    settings,
                    (dataDir, demo) -> BundledServer.start(dataDir, demo, Map.of()),
                    files,
                    Clock.systemDefaultZone());
            holder[0] = new ConsoleWindow(robot, stage, viewModel, configDir, files);
        });
        return holder[0];
    }

    public static Path freshConfigFolder() {
        try {
            Path parent = Path.of("target", "console-settings").toAbsolutePath();
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "config-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folders the console asked the system's file manager to show. */
    public List<Path> foldersShown() {
        return files.foldersShown();
    }

    public MainWindowViewModel viewModel() {
        return viewModel;
    }

    public Stage stage() {
        return stage;
    }

    public Path configDir() {
        return configDir;
    }

    /** Waits (up to {@code timeout}) until the condition holds, checking on the FX thread. */
    public void await(Duration timeout, String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS, () -> {
                var result = new boolean[1];
                robot.interact(() -> result[0] = condition.getAsBoolean());
                return result[0];
            });
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for: " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Waits until a node with this selector is showing. */
    public void awaitShowing(String selector, Duration timeout) {
        await(
                timeout,
                selector + " showing",
                () -> robot.lookup(selector).tryQuery().map(this::showing).orElse(false));
    }

    /** Waits until a node with this selector shows in any window (dialogs, notifications). */
    public void awaitAnywhere(String selector, Duration timeout) {
        await(
                timeout,
                selector + " in any window",
                () -> robot.lookup(selector).tryQuery().isPresent());
    }

    /** Whether a node with this selector is in the window and it and all its parents are visible. */
    public boolean isShowing(String selector) {
        var result = new boolean[1];
        robot.interact(() ->
                result[0] = robot.lookup(selector).tryQuery().map(this::showing).orElse(false));
        return result[0];
    }

    private boolean showing(Node node) {
        if (node.getScene() == null || node.getScene().getWindow() != stage) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    public String text(String selector) {
        var result = new String[1];
        robot.interact(() -> result[0] = robot.from(stage.getScene().getRoot())
                .lookup(selector)
                .queryAs(Labeled.class)
                .getText());
        return result[0];
    }

    public <T extends Node> T node(String selector, Class<T> type) {
        return robot.from(stage.getScene().getRoot()).lookup(selector).queryAs(type);
    }

    /** Types into a text field, replacing what it held. */
    public void type(String selector, String text) {
        robot.interact(() -> robot.from(stage.getScene().getRoot())
                .lookup(selector)
                .queryAs(javafx.scene.control.TextInputControl.class)
                .setText(text));
    }

    public void click(String selector) {
        robot.clickOn(robot.from(stage.getScene().getRoot()).lookup(selector).queryAs(Node.class));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Chooses the menu item with this id, as clicking it in the menu bar would. */
    public void chooseMenuItem(String id) {
        robot.interact(() -> robot
                .from(stage.getScene().getRoot())
                .lookup(".menu-bar")
                .queryAs(javafx.scene.control.MenuBar.class)
                .getMenus()
                .stream()
                .flatMap(menu -> menu.getItems().stream())
                .filter(item -> id.equals(item.getId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no menu item " + id))
                .fire());
        WaitForAsyncUtils.waitForFxEvents();
    }

    public void screenshot(String name) {
        Screenshots.write(stage.getScene(), name);
    }

    /**
     * Opens a window on {@code server}, signs in as {@code email}, waits for the dashboard, goes
     * to a screen with Ctrl+{@code key} and waits until {@code selector} shows on it.
     */
    public static ConsoleWindow openScreen(
            FxRobot robot, TestServer server, String email, javafx.scene.input.KeyCode key, String selector) {
        return openScreen(robot, server.url(), email, key, selector);
    }

    /** As {@link #openScreen(FxRobot, TestServer, String, javafx.scene.input.KeyCode, String)}, on the server at {@code url}. */
    public static ConsoleWindow openScreen(
            FxRobot robot, java.net.URI url, String email, javafx.scene.input.KeyCode key, String selector) {
        var window = open(robot, List.of("--server", url.toString()));
        Duration wait = Duration.ofSeconds(60);
        window.signIn(email, TestServer.PASSWORD);
        window.awaitShowing("#tile-overall", wait);
        robot.press(javafx.scene.input.KeyCode.CONTROL, key).release(key, javafx.scene.input.KeyCode.CONTROL);
        window.awaitShowing(selector, wait);
        return window;
    }

    /** Signs in through the form. */
    public void signIn(String email, String password) {
        awaitShowing("#email", Duration.ofSeconds(60));
        type("#email", email);
        type("#password", password);
        click("#signIn");
    }

    @Override
    public void close() {
        robot.interact(() -> {
            stage.hide();
            viewModel.close();
        });
    }
}
