package io.steward.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.Screenshots;
import io.steward.console.testsupport.TestServer;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.SilenceState;
import io.steward.server.api.SilenceView;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Alerts screen: a rule made in the editor fires, is listed and notified; roles see what they may use. */
@ExtendWith(ApplicationExtension.class)
class AlertsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "ConsoleTest";
    private static final int ALERTS = 0;
    private static final int SILENCES = 1;
    private static final int RULES = 2;
    private final TestServer server = TestServer.shared();
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
        Api.asAdmin(server).deleteRulesNamed(PREFIX);
    }

    private void openAlertsAs(FxRobot robot, String email) {
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        window.signIn(email, TestServer.PASSWORD);
        window.awaitShowing("#tile-overall", WAIT);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        window.awaitShowing("#alertTable", WAIT);
    }

    private void showTab(FxRobot robot, int index) {
        robot.interact(
                () -> window.node("#tabs", TabPane.class).getSelectionModel().select(index));
    }

    @SuppressWarnings("unchecked")
    private TableView<AlertView> alerts() {
        return window.node("#alertTable", TableView.class);
    }

    @SuppressWarnings("unchecked")
    private TableView<AlertRuleView> rules() {
        return window.node("#ruleTable", TableView.class);
    }

    @Test
    void aRuleMadeInTheEditorFiresAndIsListedAndNotified(FxRobot robot) {
        openAlertsAs(robot, TestServer.ADMIN);
        String name = PREFIX + "Uptime" + System.nanoTime();
        showTab(robot, RULES);
        window.awaitShowing("#newRule", WAIT);
        window.click("#newRule");
        window.awaitAnywhere("#rule-editor", WAIT);
        robot.interact(() -> {
            robot.lookup("#rule-editor #name").queryAs(TextField.class).setText(name);
            robot.lookup("#rule-editor #metric").queryAs(ComboBox.class).setValue("process.uptime");
            robot.lookup("#rule-editor #threshold").queryAs(TextField.class).setText("0");
            robot.lookup("#rule-editor #forSeconds").queryAs(TextField.class).setText("0");
            robot.lookup("#rule-editor #description")
                    .queryAs(TextField.class)
                    .setText("Fires as soon as the server runs");
        });
        robot.clickOn(robot.lookup("#rule-save").queryAs(Node.class));

        window.await(
                WAIT,
                "the new rule in the list",
                () -> rules().getItems().stream().anyMatch(r -> r.name().equals(name)));
        showTab(robot, 0);
        window.await(
                WAIT,
                "the alert firing",
                () -> alerts().getItems().stream()
                        .anyMatch(a ->
                                a.ruleName().equals(name) && a.state() == io.steward.server.api.AlertState.FIRING));
        window.await(
                WAIT,
                "the desktop notification",
                () -> robot.lookup(".notification-bar .title").queryAllAs(Label.class).stream()
                        .anyMatch(label -> label.getText().equals("Alert firing: " + name)));
        assertThat(window.text("#summary")).matches("✖ \\d+ firing, \\d+ pending");
        window.screenshot("alerts-firing.png");
        Screenshots.write(robot.lookup(".notification-bar").queryAs(Node.class).getScene(), "alerts-notification.png");

        // deleting asks, and Enter keeps the rule: the destructive button is never the default
        showTab(robot, RULES);
        robot.interact(() -> rules().getItems().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .ifPresent(r -> rules().getSelectionModel().select(r)));
        window.click("#deleteRule");
        window.awaitAnywhere("#delete-rule-dialog", WAIT);
        assertThat(robot.lookup("#delete-rule-confirm")
                        .queryAs(javafx.scene.control.Button.class)
                        .getText())
                .isEqualTo("Delete rule");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        window.await(
                WAIT,
                "the question gone",
                () -> robot.lookup("#delete-rule-dialog").tryQuery().isEmpty());
        assertThat(rules().getItems()).anyMatch(r -> r.name().equals(name));
        window.click("#deleteRule");
        window.awaitAnywhere("#delete-rule-dialog", WAIT);
        robot.clickOn(robot.lookup("#delete-rule-confirm").queryAs(Node.class));
        window.await(
                WAIT,
                "the rule deleted",
                () -> rules().getItems().stream().noneMatch(r -> r.name().equals(name)));
    }

    @SuppressWarnings("unchecked")
    private TableView<SilenceView> silences() {
        return window.node("#silenceTable", TableView.class);
    }

    /** The alert of {@code rule} as the server has it now. */
    private JsonNode serverAlert(String rule) {
        try {
            for (JsonNode alert : new ObjectMapper()
                    .readTree(Api.asAdmin(server).send("GET", "/api/v1/alerts?limit=200", null, 200))
                    .get("items")) {
                if (alert.get("ruleName").asText().equals(rule)) {
                    return alert;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void supportSaysTheyAreOnAFiringAlertSilencesItAndEndsTheSilenceWhereTheySeeIt(FxRobot robot) {
        String name = PREFIX + "OnCall" + System.nanoTime();
        Api.asAdmin(server)
                .send(
                        "POST",
                        "/api/v1/alert-rules",
                        "{\"name\":\"" + name + "\",\"metric\":\"process.uptime\",\"op\":\">\",\"threshold\":0,"
                                + "\"forSeconds\":0,\"severity\":\"warning\",\"description\":\"Fires while the server runs\"}",
                        201);
        openAlertsAs(robot, TestServer.SUPPORT);
        window.await(
                WAIT,
                "the alert firing",
                () -> alerts().getItems().stream()
                        .anyMatch(a -> a.ruleName().equals(name) && a.state() == AlertState.FIRING));
        robot.interact(() -> alerts().getItems().stream()
                .filter(a -> a.ruleName().equals(name))
                .findFirst()
                .ifPresent(a -> alerts().getSelectionModel().select(a)));
        window.await(
                WAIT,
                "the pane describing it",
                () -> window.text("#alertDetails").startsWith(name));
        assertThat(window.text("#alertDetails")).contains("Nobody has said they are on it yet.");

        window.click("#acknowledge");
        window.awaitAnywhere("#acknowledge-dialog", WAIT);
        robot.interact(
                () -> robot.lookup("#acknowledge-note").queryAs(TextField.class).setText("restarting the worker"));
        robot.clickOn(robot.lookup("#acknowledge-confirm").queryAs(Node.class));
        window.await(
                WAIT,
                "the server to record who is on it",
                () -> serverAlert(name).at("/acknowledged/note").asText().equals("restarting the worker"));
        window.await(
                WAIT, "the pane to say so", () -> window.text("#alertDetails").contains("restarting the worker"));
        assertThat(window.node("#acknowledge", javafx.scene.control.Button.class)
                        .isDisabled())
                .as("nobody says it twice")
                .isTrue();
        window.screenshot("alerts-on-it.png");

        window.click("#silence");
        window.awaitAnywhere("#silence-dialog", WAIT);
        assertThat(robot.lookup("#silence-confirm").queryAs(Node.class).isDisabled())
                .as("a silence needs its reason")
                .isTrue();
        robot.interact(
                () -> robot.lookup("#silence-reason").queryAs(TextField.class).setText("worker restart"));
        robot.clickOn(robot.lookup("#silence-confirm").queryAs(Node.class));
        window.await(
                WAIT,
                "the alert silenced on the server",
                () -> serverAlert(name).get("silenced").asBoolean());
        window.await(
                WAIT,
                "the row to show it silenced",
                () -> alerts().getItems().stream().anyMatch(a -> a.ruleName().equals(name) && a.silenced()));

        showTab(robot, SILENCES);
        window.await(
                WAIT,
                "the silence listed",
                () -> silences().getItems().stream()
                        .anyMatch(s -> s.matcher().equals(name) && s.state() == SilenceState.ACTIVE));
        robot.interact(() -> silences().getItems().stream()
                .filter(s -> s.matcher().equals(name))
                .findFirst()
                .ifPresent(s -> silences().getSelectionModel().select(s)));
        window.screenshot("alerts-silences.png");
        window.click("#endSilence");
        window.await(
                WAIT,
                "the silence ended",
                () -> silences().getItems().stream()
                        .anyMatch(s -> s.matcher().equals(name) && s.state() == SilenceState.EXPIRED));
        window.await(
                WAIT,
                "the alert notified again",
                () -> !serverAlert(name).get("silenced").asBoolean());
    }

    @Test
    void theEditorNamesWhatIsWrongWithARule(FxRobot robot) {
        openAlertsAs(robot, TestServer.ADMIN);
        showTab(robot, RULES);
        window.click("#newRule");
        window.awaitAnywhere("#rule-editor", WAIT);
        robot.interact(() -> {
            robot.lookup("#rule-editor #name").queryAs(TextField.class).setText(PREFIX + "Broken");
            robot.lookup("#rule-editor #metric").queryAs(ComboBox.class).setValue("process.uptime");
            robot.lookup("#rule-editor #threshold").queryAs(TextField.class).setText("a lot");
        });
        robot.clickOn(robot.lookup("#rule-save").queryAs(Node.class));
        assertThat(robot.lookup("#rule-editor #error").queryAs(Label.class).getText())
                .isEqualTo("The threshold must be a number, such as 0.05 or 90.");
        assertThat(robot.lookup("#rule-editor #threshold")
                        .queryAs(TextField.class)
                        .getStyleClass())
                .contains("field-error");

        robot.interact(() -> {
            robot.lookup("#rule-editor #threshold").queryAs(TextField.class).setText("5");
            robot.lookup("#rule-editor #metric").queryAs(ComboBox.class).setValue("no.such.metric");
        });
        robot.clickOn(robot.lookup("#rule-save").queryAs(Node.class));
        window.await(
                WAIT,
                "the server's verdict",
                () -> robot.lookup("#rule-editor #metric")
                        .queryAs(ComboBox.class)
                        .getStyleClass()
                        .contains("field-error"));
        assertThat(robot.lookup("#rule-editor #error").queryAs(Label.class).getText())
                .isEqualTo("This server has no series called “no.such.metric”. Pick one from the list.");
        Screenshots.write(robot.lookup("#rule-editor").queryAs(Node.class).getScene(), "alerts-rule-editor.png");
        robot.interact(() -> ((javafx.scene.control.Button) robot.lookup("#rule-editor")
                        .queryAs(javafx.scene.control.DialogPane.class)
                        .lookupButton(javafx.scene.control.ButtonType.CANCEL))
                .fire());
    }

    @Test
    void supportSeesTheRulesButCannotChangeThem(FxRobot robot) {
        openAlertsAs(robot, TestServer.SUPPORT);
        showTab(robot, RULES);
        window.await(WAIT, "the rules", () -> !rules().getItems().isEmpty());
        assertThat(window.isShowing("#ruleTable")).isTrue();
        assertThat(window.isShowing("#newRule")).isFalse();
        assertThat(window.isShowing("#editRule")).isFalse();
        assertThat(window.isShowing("#deleteRule")).isFalse();
        assertThat(window.text("#statusUser")).endsWith("· support");
    }
}
