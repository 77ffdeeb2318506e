package io.steward.console.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.TestServer;
import io.steward.server.api.FlagView;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Feature flags screen: an admin rolls a flag out to a share of users and asks who gets it. */
@ExtendWith(ApplicationExtension.class)
class FlagsTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<FlagView> flags() {
        return window.node("#flagTable", TableView.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAdminRollsAFlagOutAndChecksWhoGetsIt(FxRobot robot) {
        String key = "console-test-" + System.nanoTime();
        Api.asAdmin(server)
                .send(
                        "PUT",
                        "/api/v1/flags/" + key,
                        "{\"enabled\":false,\"percentage\":0,\"description\":\"A flag for the console test\"}",
                        200);
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT8, "#flagTable");
        window.await(
                WAIT,
                "the new flag listed",
                () -> flags().getItems().stream().anyMatch(f -> f.key().equals(key)));
        robot.interact(() -> flags().getItems().stream()
                .filter(f -> f.key().equals(key))
                .findFirst()
                .ifPresent(f -> flags().getSelectionModel().select(f)));
        window.awaitShowing("#enabled", WAIT);

        robot.interact(() -> {
            window.node("#enabled", CheckBox.class).setSelected(true);
            window.node("#percentage", Slider.class).setValue(100);
        });
        window.click("#save");
        window.await(
                WAIT,
                "the flag saved",
                () -> !window.text("#saved").isEmpty()
                        || !window.text("#problem").isEmpty());
        assertThat(window.text("#problem")).isEmpty();
        assertThat(window.text("#saved")).isEqualTo("Saved: " + key + " is on for 100 %.");
        assertThat(flags().getItems().stream()
                        .filter(f -> f.key().equals(key))
                        .findFirst()
                        .orElseThrow()
                        .percentage())
                .isEqualTo(100);

        robot.interact(() -> window.node("#userId", TextField.class).setText("learner-42"));
        window.click("#who");
        window.await(WAIT, "who gets it", () -> window.text("#answer").startsWith("✔ On for learner-42"));
        window.await(
                WAIT,
                "the change in the flag's history",
                () -> window.node("#history", ListView.class).getItems().stream()
                        .anyMatch(line -> line.toString().endsWith("set on for 100 %")));
        window.screenshot("flags.png");
    }
}
