package io.steward.console.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.SlowProxy;
import io.steward.console.testsupport.TestServer;
import io.steward.server.api.BackupView;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Backups screen: an admin backs up and proves the backup by a restore test; an auditor only looks. */
@ExtendWith(ApplicationExtension.class)
class BackupsTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<BackupView> backups() {
        return window.node("#backupTable", TableView.class);
    }

    /** Backs up through the button, waits until the new backup is complete, and selects it. */
    private void backUpNowAndSelectIt(FxRobot robot) {
        int before = backups().getItems().size();
        window.click("#backUpNow");
        window.await(
                WAIT,
                "the new backup completed",
                () -> backups().getItems().size() > before
                        && backups().getItems().getFirst().status() == io.steward.server.api.BackupStatus.COMPLETED);
        robot.interact(() -> backups().getSelectionModel().select(0));
    }

    @Test
    void anAdminBacksUpAndTheRestoreTestPasses(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT9, "#backupTable");
        backUpNowAndSelectIt(robot);
        assertThat(window.text("#details")).contains("Not restore-tested yet");
        window.click("#verify");
        window.await(
                WAIT,
                "the restore test's verdict",
                () -> window.text("#verdict").startsWith("✔ Restore test passed"));
        window.await(
                WAIT,
                "the list showing the verdict",
                () -> BackupsViewModel.restoreTest(backups().getItems().getFirst())
                        .equals("✔ passed"));
        assertThat(window.text("#summary")).contains("restore-tested ✔");
        // the restore drill's panel: the server's default schedule, and the proof just made
        window.await(
                WAIT,
                "the drill panel showing the proof",
                () -> window.text("#drill").contains("Last proven by a restore: less than an hour ago."));
        assertThat(window.text("#drill")).startsWith("Restore drill: every 7 days · ");
        window.screenshot("backups.png");
    }

    @Test
    void anAdminStopsWaitingForARestoreTestAndItsVerdictStillArrives(FxRobot robot) {
        try (var proxy = SlowProxy.inFrontOf(server, path -> path.endsWith("/verify"), Duration.ofSeconds(60))) {
            window = ConsoleWindow.openScreen(robot, proxy.url(), TestServer.ADMIN, KeyCode.DIGIT9, "#backupTable");
            backUpNowAndSelectIt(robot);
            window.click("#verify");
            window.await(WAIT, "the restore test under way", () -> window.isShowing("#cancel"));
            window.click("#cancel");
            window.await(
                    WAIT,
                    "waiting stopped",
                    () -> window.text("#progress")
                            .equals("Stopped waiting. The server finishes the restore test and records its verdict in"
                                    + " the list."));
            assertThat(window.isShowing("#cancel")).isFalse();
            assertThat(window.node("#verify", Button.class).isDisabled()).isFalse();
            assertThat(window.text("#verdict")).isEmpty();

            // nobody clicks Refresh: the verdict arrives when the server records it, however long that takes
            window.await(
                    WAIT,
                    "the verdict in the list",
                    () -> BackupsViewModel.restoreTest(backups().getItems().getFirst())
                            .equals("✔ passed"));
        }
    }

    @Test
    void anAuditorSeesTheBackupsButCannotStartOrVerifyOne(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.AUDITOR, KeyCode.DIGIT9, "#backupTable");
        assertThat(window.isShowing("#backUpNow")).isFalse();
        assertThat(window.isShowing("#verify")).isFalse();
        assertThat(window.isShowing("#backupTable")).isTrue();
    }
}
