package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The window keeps its place and screen across runs, and a session that ends on the server ends in the window. */
@ExtendWith(ApplicationExtension.class)
class SessionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TestServer server = TestServer.shared();
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void theWindowReopensOnTheScreenPlaceAndSizeItWasClosedOn(FxRobot robot) {
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        window.signIn(TestServer.ADMIN, TestServer.PASSWORD);
        window.awaitShowing("#nav-dashboard", WAIT);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        window.awaitShowing("#chart-requests", WAIT);
        robot.interact(() -> {
            window.stage().setX(40);
            window.stage().setY(50);
            window.stage().setWidth(900);
            window.stage().setHeight(700);
        });
        window.close();

        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()), window.configDir());
        window.signIn(TestServer.ADMIN, TestServer.PASSWORD);
        window.awaitShowing("#chart-requests", WAIT);
        assertThat(window.node("#nav-metrics", ToggleButton.class).isSelected()).isTrue();
        assertThat(window.stage().getX()).isEqualTo(40);
        assertThat(window.stage().getY()).isEqualTo(50);
        assertThat(window.stage().getWidth()).isEqualTo(900);
        assertThat(window.stage().getHeight()).isEqualTo(700);
    }

    @Test
    void aSessionEndedByTheServerReturnsToSignInAndThenToTheSameScreen(FxRobot robot) {
        String email = "session-" + System.nanoTime() + "@steward.local";
        Api admin = Api.asAdmin(server);
        String id = admin.createSupportAccount(email);
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        window.signIn(email, TestServer.PASSWORD);
        window.awaitShowing("#nav-dashboard", WAIT);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        window.awaitShowing("#alertTable", WAIT);
        var stage = window.stage();

        // an admin changes the account's role: its tokens are revoked at once, and whichever of the
        // live stream and the next request hears of it first, the reason is said
        admin.send("PATCH", "/api/v1/users/" + id, "{\"role\":\"auditor\"}", 200);

        window.awaitShowing("#email", WAIT);
        assertThat(window.text("#message"))
                .isEqualTo("Your session ended on the server: your role was changed. Sign in again to carry on.");
        assertThat(window.stage()).isSameAs(stage);
        window.signIn(email, TestServer.PASSWORD);
        window.awaitShowing("#alertTable", WAIT);
        assertThat(window.text("#statusUser")).endsWith("· auditor");
    }
}
