package io.steward.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.SlowProxy;
import io.steward.console.testsupport.TestServer;
import io.steward.server.api.AuditEntry;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Audit log screen: an auditor filters the trail, reads an entry and verifies the chain. */
@ExtendWith(ApplicationExtension.class)
class AuditTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<AuditEntry> entries() {
        return window.node("#auditTable", TableView.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorFiltersTheTrailReadsAnEntryAndVerifiesTheChain(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.AUDITOR, KeyCode.DIGIT6, "#auditTable");
        window.await(WAIT, "the newest entries", () -> !entries().getItems().isEmpty());

        robot.interact(() -> window.node("#action", ComboBox.class).setValue("auth.login"));
        window.click("#apply");
        window.await(
                WAIT,
                "only sign-ins listed",
                () -> !entries().getItems().isEmpty()
                        && entries().getItems().stream()
                                .allMatch(e -> e.action().equals("auth.login")));
        robot.interact(() -> entries().getSelectionModel().select(0));
        String details = window.node("#details", TextArea.class).getText();
        assertThat(details).startsWith("auth.login at ").contains("hash: ").contains("request: ");
        // who signed in, by name, with the id to filter on
        assertThat(details).containsPattern("actor: [A-Z][^\\n(]+ \\([0-9a-f-]{36}\\)");

        window.click("#verifyChain");
        window.await(
                WAIT, "the chain's verdict", () -> window.text("#verdict").startsWith("✔ The audit chain is intact"));
        window.screenshot("audit.png");

        // a filter that is not an id is explained, and nothing is asked of the server
        robot.interact(() -> window.node("#actor", TextField.class).setText("not-an-id"));
        window.click("#apply");
        assertThat(window.text("#problem")).startsWith("Actor must be a full id");
    }

    @Test
    void aChainCheckCanBeCancelled(FxRobot robot) {
        try (var proxy =
                SlowProxy.inFrontOf(server, path -> path.equals("/api/v1/audit/verify"), Duration.ofSeconds(60))) {
            window = ConsoleWindow.openScreen(robot, proxy.url(), TestServer.ADMIN, KeyCode.DIGIT6, "#auditTable");
            window.click("#verifyChain");
            window.await(WAIT, "the check under way", () -> window.isShowing("#cancel"));
            assertThat(window.text("#progress")).isEqualTo("Checking every entry's hash against the one before it…");
            window.click("#cancel");
            window.await(
                    WAIT,
                    "the check cancelled",
                    () -> window.text("#progress").equals("Cancelled: the chain was not checked."));
            assertThat(window.text("#verdict")).isEmpty();
            assertThat(window.node("#verifyChain", Button.class).isDisabled()).isFalse();
        }
    }
}
