package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * "This computer": the console starts the bundled server itself, signs the first administrator in
 * with the generated password and shows it once; the next start remembers the choice.
 */
@ExtendWith(ApplicationExtension.class)
class ThisComputerTest {
    private static final Duration START = Duration.ofSeconds(180);
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void theBundledServerStartsAndTheFirstAdminIsSignedInWithThePasswordShownOnce(FxRobot robot) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "bundled-").toAbsolutePath();
        Path config = ConsoleWindow.freshConfigFolder();
        window = ConsoleWindow.open(robot, List.of("--data-dir", data.toString()), config);

        window.awaitShowing("#nav-dashboard", START);
        String password =
                Files.readString(data.resolve("initial-admin-password")).strip();
        assertThat(window.text("#noticeText"))
                .startsWith("Welcome to Steward. You are signed in as admin@steward.local, the first administrator,"
                        + " with the password " + password)
                .contains(data.resolve("initial-admin-password").toString());
        assertThat(window.text("#statusServer")).isEqualTo("Server: This computer");
        window.awaitShowing("#tile-check-embedded-database-process", Duration.ofSeconds(30));
        window.screenshot("console-first-start.png");

        // F1 lists every shortcut, straight from the menus
        robot.press(KeyCode.F1).release(KeyCode.F1);
        window.awaitAnywhere("#shortcuts-dialog", Duration.ofSeconds(10));
        var shortcuts = robot.lookup("#shortcuts-dialog").queryAs(DialogPane.class);
        List<String> texts = robot.from(shortcuts).lookup(".label").queryAllAs(Label.class).stream()
                .map(Label::getText)
                .toList();
        assertThat(texts).contains("View › Dashboard", "View › Metrics", "View › Alerts", "Steward › Sign out");
        io.steward.console.testsupport.Screenshots.write(shortcuts.getScene(), "console-shortcuts.png");
        robot.interact(() -> shortcuts.getScene().getWindow().hide());

        // signing out keeps the window and offers the sign-in form with the same server
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L).release(KeyCode.L, KeyCode.SHIFT, KeyCode.CONTROL);
        window.awaitShowing("#email", Duration.ofSeconds(10));
        assertThat(window.text("#message")).isEqualTo("You have signed out.");
        assertThat(window.text("#hint"))
                .isEqualTo("The first administrator's password is in " + data.resolve("initial-admin-password") + ".");
        window.signIn("admin@steward.local", password);
        window.awaitShowing("#nav-dashboard", Duration.ofSeconds(30));
        assertThat(window.text("#noticeText")).isEmpty();

        // Change server, then this computer again: the password is not shown again, nobody is signed in by it
        window.chooseMenuItem("menu-change-server");
        window.awaitShowing("#thisComputer", Duration.ofSeconds(30));
        window.click("#thisComputer");
        window.awaitShowing("#email", Duration.ofSeconds(60));
        assertThat(window.isShowing("#nav-dashboard"))
                .as("not signed in as the admin by itself")
                .isFalse();
        assertThat(window.node("#password", javafx.scene.control.PasswordField.class)
                        .getText())
                .isEmpty();
        assertThat(window.text("#hint")).doesNotContain(password);
    }
}
