package io.steward.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import eu.hansolo.tilesfx.Tile;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The dashboard against a real server: real health, live numbers, themes, and the server going away. */
@ExtendWith(ApplicationExtension.class)
class DashboardTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    private ConsoleWindow signedIn(FxRobot robot, TestServer server) {
        var opened = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        opened.signIn(TestServer.ADMIN, TestServer.PASSWORD);
        opened.awaitShowing("#tile-overall", WAIT);
        return opened;
    }

    private Tile tile(String id) {
        return window.node("#" + id, Tile.class);
    }

    @Test
    void showsTheServersRealHealthAndMovesWhenRequestsArrive(FxRobot robot) throws Exception {
        TestServer server = TestServer.shared();
        window = signedIn(robot, server);

        window.await(
                WAIT,
                "the database check",
                () -> window.viewModel().sessionProperty().get() != null
                        && robot.lookup("#tile-check-database").tryQuery().isPresent()
                        && tile("tile-check-database").getDescription().equals("✔ Up"));
        assertThat(tile("tile-overall").getDescription()).isIn("✔ UP", "⚠ DEGRADED");
        assertThat(tile("tile-check-database").getText()).matches("\\d+ ms · essential");
        assertThat(tile("tile-check-disk-space").getDescription()).isNotEqualTo("—");

        var http = new OkHttpClient();
        for (int i = 0; i < 300; i++) {
            try (Response response = http.newCall(new Request.Builder()
                            .url(server.url().resolve("/health/live").toString())
                            .build())
                    .execute()) {
                assertThat(response.code()).isEqualTo(200);
            }
        }
        window.await(
                WAIT,
                "the request rate to show the burst",
                () -> tile("tile-requests").getValue() >= 5);
        window.await(WAIT, "uptime", () -> tile("tile-uptime").getDescription().contains(" s"));
        assertThat(tile("tile-gdpr").getDescription()).isIn("✔ none overdue", "");
        window.screenshot("dashboard-light.png");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        window.await(
                WAIT,
                "the dark theme",
                () -> window.stage().getScene().getStylesheets().stream()
                        .anyMatch(sheet -> sheet.endsWith("/styles/dark.css")));
        window.screenshot("dashboard-dark.png");
        window.await(WAIT, "the theme to be remembered", () -> {
            try {
                return Files.readString(window.configDir().resolve("console.json"))
                        .contains("\"theme\" : \"dark\"");
            } catch (java.io.IOException e) {
                return false;
            }
        });

        // a tile opens the screen behind it
        robot.clickOn(robot.lookup("#tile-alerts").queryAs(javafx.scene.Node.class));
        window.awaitShowing("#alertTable", WAIT);
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT1)
                .release(javafx.scene.input.KeyCode.DIGIT1, javafx.scene.input.KeyCode.CONTROL);
        window.awaitShowing("#tile-gdpr", WAIT);
        robot.clickOn(robot.lookup("#tile-gdpr").queryAs(javafx.scene.Node.class));
        window.awaitShowing("#requestTable", WAIT);
    }

    @Test
    void aServerThatGoesAwayIsShownAsSuchAndPickedUpWhenItReturns(FxRobot robot) {
        try (TestServer server = TestServer.own("degraded")) {
            window = signedIn(robot, server);
            window.await(
                    WAIT,
                    "live",
                    () -> window.text("#statusConnection").equals("● Live")
                            && !window.text("#updated").isEmpty());

            server.close();

            window.awaitShowing("#banner", WAIT);
            assertThat(window.text("#bannerText"))
                    .startsWith("No live connection to the server since ")
                    .endsWith("Showing the last data received; Steward reconnects by itself.");
            assertThat(window.text("#statusConnection")).isEqualTo("○ Reconnecting…");
            assertThat(window.node("#screenHost", StackPane.class).getStyleClass())
                    .contains("stale");
            String lastUpdate = window.text("#updated");
            assertThat(tile("tile-requests").getValue()).isGreaterThanOrEqualTo(0);
            window.screenshot("dashboard-server-away.png");

            server.restart();

            window.await(
                    WAIT,
                    "the live connection to return",
                    () -> window.text("#statusConnection").equals("● Live"));
            window.await(WAIT, "fresh numbers", () -> !window.text("#updated").equals(lastUpdate));
            assertThat(window.node("#banner", javafx.scene.Node.class).isVisible())
                    .isFalse();
            assertThat(window.node("#screenHost", StackPane.class).getStyleClass())
                    .doesNotContain("stale");
        }
    }
}
