package io.steward.console.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.TestServer;
import io.steward.console.ui.History;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.Role;
import io.steward.server.api.UserView;
import java.time.ZoneId;
import java.util.Locale;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Users screen: support finds a user by typing part of a name, pages on by scrolling, reads and changes the details. */
@ExtendWith(ApplicationExtension.class)
class UsersTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<UserView> users() {
        return window.node("#userTable", TableView.class);
    }

    @SuppressWarnings("unchecked")
    private ListView<AuditEntry> history() {
        return window.node("#historyList", ListView.class);
    }

    @SuppressWarnings("unchecked")
    private TableView<GdprRequestView> requests() {
        return window.node("#requestTable", TableView.class);
    }

    /** Selects the first active student listed and waits for their details. */
    private UserView selectAStudent(FxRobot robot) {
        UserView student = users().getItems().stream()
                .filter(u -> u.role() == Role.STUDENT && u.active())
                .findFirst()
                .orElseThrow();
        robot.interact(() -> users().getSelectionModel().select(student));
        window.await(
                WAIT,
                "the user's details",
                () -> window.node("#details", TextArea.class).getText().contains("Related records:"));
        return student;
    }

    @Test
    void supportFindsAUserByAFragmentPagesOnAndReadsTheDetails(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT4, "#userTable");
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

        UserView student = selectAStudent(robot);
        assertThat(window.node("#details", TextArea.class).getText())
                .startsWith(student.name() + "\n" + student.email());

        // a wrong e-mail address is explained beside the field, and nothing changes
        window.click("#changeTab");
        robot.interact(() -> window.node("#editEmail", TextField.class).setText("not an address"));
        window.click("#saveUser");
        window.await(
                WAIT,
                "an answer to the save",
                () -> !window.text("#emailError").isEmpty()
                        || !window.text("#saved").isEmpty()
                        || !window.text("#problem").isEmpty());
        assertThat(window.text("#emailError"))
                .as("saved: %s; problem: %s", window.text("#saved"), window.text("#problem"))
                .isNotEmpty();
        assertThat(window.node("#editEmail", TextField.class).getStyleClass()).contains("field-error");
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/users/" + student.id(), null, 200))
                .contains(student.email())
                .contains(student.name());

        // a new name is saved on the server and shown in the list
        String renamed = "Renamed Learner " + System.nanoTime();
        robot.interact(() -> {
            window.node("#editEmail", TextField.class).setText(student.email());
            window.node("#editName", TextField.class).setText(renamed);
        });
        window.click("#saveUser");
        window.await(WAIT, "the change saved", () -> window.text("#saved").equals("Saved."));
        assertThat(window.text("#emailError")).isEmpty();
        assertThat(users().getItems())
                .anyMatch(u -> u.id().equals(student.id()) && u.name().equals(renamed));
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/users/" + student.id(), null, 200))
                .contains(renamed);
        window.await(
                WAIT,
                "the change in the user's history, by name",
                () -> history().getItems().stream()
                        .anyMatch(e -> e.action().equals("user.updated")
                                && History.actor(e).equals("Demo Support")
                                && History.details(e, ZoneId.systemDefault()).contains("changed: name")));

        // someone else changes the user meanwhile: the save is refused, explained, and the form reloaded
        Api.asAdmin(server).send("PATCH", "/api/v1/users/" + student.id(), "{\"name\":\"Changed Elsewhere\"}", 200);
        robot.interact(() -> window.node("#editName", TextField.class).setText("My Late Change"));
        window.click("#saveUser");
        window.await(
                WAIT, "the conflict explained", () -> window.text("#problem").startsWith("Someone changed"));
        window.await(
                WAIT,
                "the form reloaded",
                () -> window.node("#editName", TextField.class).getText().equals("Changed Elsewhere"));

        // a GDPR request from this user, recorded from their details, opens in the queue with it picked
        window.click("#openRequest");
        window.await(
                WAIT,
                "the new request picked in the GDPR queue",
                () -> window.isShowing("#requestTable")
                        && requestQueue().getSelectionModel().getSelectedItem() != null
                        && requestQueue()
                                .getSelectionModel()
                                .getSelectedItem()
                                .userId()
                                .equals(student.id()));
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/gdpr/requests?type=access&status=received", null, 200))
                .contains(student.id().toString());
        window.screenshot("gdpr-recorded-from-users.png");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        window.await(
                WAIT,
                "back on the user, the request said recorded",
                () -> window.text("#requestOpened").startsWith("Access request recorded for " + student.email()));
        window.await(
                WAIT,
                "the request among the user's GDPR requests",
                () -> requests().getItems().size() == 1
                        && requests().getItems().getFirst().type() == io.steward.server.api.GdprType.ACCESS);
        window.click("#requestsTab");
        window.screenshot("users-requests.png");
        window.click("#historyTab");
        window.await(
                WAIT,
                "the request in the user's history",
                () -> history().getItems().stream().anyMatch(e -> e.action().equals("gdpr.request_opened")));
        window.screenshot("users.png");
    }

    @SuppressWarnings("unchecked")
    private javafx.scene.control.TableView<io.steward.server.api.GdprRequestView> requestQueue() {
        return window.node("#requestTable", javafx.scene.control.TableView.class);
    }

    @Test
    void deactivatingAUserIsConfirmedFirst(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT4, "#userTable");
        window.await(WAIT, "the first page", () -> !users().getItems().isEmpty());
        UserView student = selectAStudent(robot);
        window.click("#changeTab");

        // unticking Active and saving asks first, and sends nothing
        window.click("#editActive");
        window.click("#saveUser");
        window.await(WAIT, "the question", () -> window.isShowing("#deactivateWarning"));
        assertThat(window.text("#deactivateWarning"))
                .startsWith("Deactivate " + student.name() + " (" + student.email() + ")?");
        window.screenshot("users-deactivate.png");
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/users/" + student.id(), null, 200))
                .contains("\"active\":true");

        // changing one's mind leaves the account as it was
        window.click("#keepActive");
        assertThat(window.node("#editActive", CheckBox.class).isSelected()).isTrue();
        assertThat(window.isShowing("#deactivateWarning")).isFalse();

        // confirming deactivates it on the server, and the history says who did it
        window.click("#editActive");
        window.click("#saveUser");
        window.await(WAIT, "the question", () -> window.isShowing("#confirmDeactivate"));
        window.click("#confirmDeactivate");
        window.await(WAIT, "the change saved", () -> window.text("#saved").equals("Saved."));
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/users/" + student.id(), null, 200))
                .contains("\"active\":false");
        window.await(
                WAIT,
                "the deactivation in the history",
                () -> history().getItems().stream()
                        .anyMatch(
                                e -> History.details(e, ZoneId.systemDefault()).contains("active: yes → no")));
    }

    @Test
    void anAdminCreatesAStaffAccountThatMeetsThePasswordPolicy(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT4, "#userTable");
        String email = "new.auditor" + System.nanoTime() + "@steward.local";
        robot.interact(() -> {
            window.node("#staffPane", javafx.scene.control.TitledPane.class).setExpanded(true);
            window.node("#newEmail", TextField.class).setText(email);
            window.node("#newName", TextField.class).setText("New Auditor");
            window.node("#newRole", javafx.scene.control.ChoiceBox.class).setValue(Role.AUDITOR);
            window.node("#newPassword", TextField.class).setText("short");
        });
        window.click("#createStaff");
        window.await(
                WAIT, "the password refused", () -> !window.text("#newError").isEmpty());
        assertThat(window.text("#newError")).startsWith("Password:");

        robot.interact(() -> window.node("#newPassword", TextField.class).setText("a long and varied passphrase 7"));
        window.click("#createStaff");
        window.await(WAIT, "the account created", () -> window.text("#created").startsWith("Created " + email));
        assertThat(window.text("#newError")).isEmpty();
        assertThat(Api.asAdmin(server)
                        .send("GET", "/api/v1/users?q=" + email.substring(0, 20) + "&role=auditor", null, 200))
                .contains(email);
        window.screenshot("users-new-staff.png");
    }

    @Test
    void anAdminSeesWhoIsLockedOutOfSigningInAndUnlocksThem(FxRobot robot) {
        var admin = Api.asAdmin(server);
        String email = "locked.out" + System.nanoTime() + "@steward.local";
        admin.createSupportAccount(email);
        var anonymous = Api.anonymous(server);
        for (int i = 0; i < 5; i++) {
            anonymous.send(
                    "POST",
                    "/api/v1/auth/login",
                    "{\"email\":\"" + email + "\",\"password\":\"not it " + i + "\"}",
                    401);
        }
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT4, "#userTable");
        robot.interact(() -> window.node("#lockoutPane", javafx.scene.control.TitledPane.class)
                .setExpanded(true));
        @SuppressWarnings("unchecked")
        TableView<io.steward.server.api.SignInLockout> lockouts = window.node("#lockoutTable", TableView.class);
        window.await(
                WAIT,
                "the lockout listed",
                () -> lockouts.getItems().stream().anyMatch(l -> l.email().equals(email)));
        robot.interact(() -> lockouts.getSelectionModel()
                .select(lockouts.getItems().stream()
                        .filter(l -> l.email().equals(email))
                        .findFirst()
                        .orElseThrow()));
        window.screenshot("users-lockouts.png");
        window.click("#unlock");
        window.await(
                WAIT,
                "the unlock confirmed",
                () -> window.text("#lockoutVerdict").startsWith(email + " can sign in again from "));
        window.await(
                WAIT,
                "the list refreshed",
                () -> lockouts.getItems().stream().noneMatch(l -> l.email().equals(email)));
        anonymous.send(
                "POST",
                "/api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}",
                200);
    }

    @Test
    void supportSeesNoLockouts(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT4, "#userTable");
        assertThat(window.isShowing("#lockoutPane")).isFalse();
    }
}
