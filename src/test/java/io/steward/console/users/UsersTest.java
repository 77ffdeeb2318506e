package io.steward.console.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import io.steward.server.api.UserView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Users screen: support finds a user by typing part of a name, pages on by scrolling, reads the details. */
@ExtendWith(ApplicationExtension.class)
class UsersTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TestServer server = TestServer.shared();
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    @SuppressWarnings("unchecked")
    private TableView<UserView> users() {
        return window.node("#userTable", TableView.class);
    }

    @Test
    void supportFindsAUserByAFragmentPagesOnAndReadsTheDetails(FxRobot robot) {
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        window.signIn(TestServer.SUPPORT, TestServer.PASSWORD);
        window.awaitShowing("#tile-overall", WAIT);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        window.awaitShowing("#userTable", WAIT);
        window.await(WAIT, "the first page", () -> users().getItems().size() == UsersViewModel.PAGE);

        // scrolling to the end fetches the next page (300 demo users, 50 a page)
        robot.interact(() -> users().scrollTo(users().getItems().size() - 1));
        window.await(WAIT, "the next page", () -> users().getItems().size() >= 2 * UsersViewModel.PAGE);

        // typing part of a real name narrows the list to the people who have it
        String someone = users().getItems().get(7).name();
        String fragment = someone.substring(0, 3).toLowerCase(Locale.ROOT);
        robot.clickOn("#query").write(fragment);
        window.await(
                WAIT,
                "only matching users",
                () -> !users().getItems().isEmpty()
                        && users().getItems().size() < 2 * UsersViewModel.PAGE
                        && users().getItems().stream()
                                .allMatch(u -> (u.name() + " " + u.email())
                                        .toLowerCase(Locale.ROOT)
                                        .contains(fragment)));
        assertThat(users().getItems()).anyMatch(u -> u.name().equals(someone));

        robot.interact(() -> users().getSelectionModel().select(0));
        UserView first = users().getItems().getFirst();
        window.await(
                WAIT,
                "the user's details",
                () -> window.node("#details", TextArea.class).getText().contains("Related records:"));
        assertThat(window.node("#details", TextArea.class).getText()).startsWith(first.name() + "\n" + first.email());
        window.screenshot("users.png");
    }
}
