package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.TestServer;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * A day at the keyboard: opening a screen puts the keys in its search or filter, Ctrl+F brings
 * them back there from anywhere on the screen, and dates are written as the tables write them.
 */
@ExtendWith(ApplicationExtension.class)
class KeyboardFocusTest extends ScreenTest {

    /** Whether the keyboard focus is in {@code node} (an editable combo box focuses its editor). */
    private static boolean focused(Node node) {
        for (Node n = node.getScene().getFocusOwner(); n != null; n = n.getParent()) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    @Test
    void typingAfterOpeningUsersSearchesAndCtrlFComesBackToTheFilter(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT4, "#query");
        TextField query = window.node("#query", TextField.class);
        window.await(WAIT, "the search field focused", () -> focused(query));
        robot.write("smith");
        assertThat(query.getText()).isEqualTo("smith");

        // the Audit log: the keys start in its action filter; Ctrl+F brings them back from the table
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT6).release(KeyCode.DIGIT6, KeyCode.CONTROL);
        window.awaitShowing("#auditTable", WAIT);
        @SuppressWarnings("unchecked")
        ComboBox<String> action = window.node("#action", ComboBox.class);
        window.await(WAIT, "the action filter focused", () -> focused(action));
        robot.interact(() -> window.node("#auditTable", Node.class).requestFocus());
        assertThat(focused(action)).isFalse();
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        window.await(WAIT, "Ctrl+F back in the filter", () -> focused(action));

        // dates in the pickers as in the tables
        robot.interact(() -> window.node("#from", DatePicker.class).setValue(java.time.LocalDate.of(2026, 11, 29)));
        assertThat(window.node("#from", DatePicker.class).getEditor().getText()).isEqualTo("29 Nov 2026");
        robot.interact(() -> {
            var picker = window.node("#to", DatePicker.class);
            picker.getEditor().setText("2026-12-01");
            picker.commitValue();
        });
        assertThat(window.node("#to", DatePicker.class).getValue()).isEqualTo(java.time.LocalDate.of(2026, 12, 1));
        assertThat(window.node("#to", DatePicker.class).getEditor().getText()).isEqualTo("1 Dec 2026");
    }
}
