package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.HttpTransport;
import io.steward.console.client.StewardApi;
import io.steward.console.session.FxTaskExecutor;
import io.steward.console.session.LiveFeed;
import io.steward.console.session.Session;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.SettingsStore;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import io.steward.console.ui.ViewLoader;
import io.steward.server.api.Role;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** A screen a role may not use is not there at all: no sidebar entry, no menu item, no shortcut, never built. */
@ExtendWith(ApplicationExtension.class)
class ShellRolesTest {
    private final AtomicInteger adminScreensBuilt = new AtomicInteger();
    private HttpTransport client;
    private Stage stage;

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> {
            if (stage != null) {
                stage.hide();
            }
        });
        if (client != null) {
            client.close();
        }
    }

    private List<ScreenSpec> screens() {
        return List.of(
                new ScreenSpec(
                        "everyone",
                        "For every staff role",
                        KeyCode.DIGIT1,
                        EnumSet.of(Role.ADMIN, Role.SUPPORT, Role.AUDITOR),
                        session -> new Label("everyone's screen")),
                new ScreenSpec("admins", "Admins only", KeyCode.DIGIT2, Set.of(Role.ADMIN), session -> {
                    adminScreensBuilt.incrementAndGet();
                    return new Label("the admins' screen");
                }));
    }

    private void openShellAs(FxRobot robot, String email) {
        client = new HttpTransport(TestServer.shared().url());
        var user =
                new StewardApi(client).auth().login(email, TestServer.PASSWORD).user();
        var store = new SettingsStore(ConsoleWindow.freshConfigFolder());
        robot.interact(() -> {
            var executor = new FxTaskExecutor();
            var main = new MainWindowViewModel(
                    LaunchOptions.parse(List.of()),
                    store,
                    store.load(),
                    (dataDir, demo) -> {
                        throw new AssertionError("no bundled server here");
                    },
                    HttpTransport::new,
                    executor,
                    Clock.systemDefaultZone());
            var session = new Session(
                    new StewardApi(client),
                    user,
                    "test server",
                    new LiveFeed(client, executor, why -> {}),
                    executor,
                    new io.steward.console.session.Navigator());
            stage = new Stage();
            stage.setScene(new Scene(
                    ViewLoader.load(
                            ShellView.class, () -> new ShellView(session, main, screens(), Clock.systemDefaultZone())),
                    900,
                    600));
            stage.show();
        });
    }

    private List<String> menuItems(FxRobot robot) {
        return robot.lookup("#menuBar").queryAs(MenuBar.class).getMenus().stream()
                .flatMap(menu -> menu.getItems().stream())
                .map(MenuItem::getText)
                .filter(text -> text != null)
                .toList();
    }

    @Test
    void supportDoesNotSeeAnAdminScreenAnywhere(FxRobot robot) {
        openShellAs(robot, TestServer.SUPPORT);

        assertThat(robot.lookup("#nav-everyone").tryQuery()).isPresent();
        assertThat(robot.lookup("#nav-admins").tryQuery()).isEmpty();
        assertThat(menuItems(robot)).contains("For every staff role").doesNotContain("Admins only");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        assertThat(robot.lookup("the admins' screen").tryQuery()).isEmpty();
        assertThat(adminScreensBuilt).hasValue(0);
    }

    @Test
    void anAdminSeesItAndReachesItFromTheKeyboard(FxRobot robot) {
        openShellAs(robot, TestServer.ADMIN);

        assertThat(robot.lookup("#nav-admins").tryQuery()).isPresent();
        assertThat(menuItems(robot)).contains("Admins only");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        assertThat(robot.lookup("the admins' screen").tryQuery()).isPresent();
        assertThat(adminScreensBuilt).hasValue(1);
    }
}
