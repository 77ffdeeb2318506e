package io.steward.console.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.SlowProxy;
import io.steward.console.testsupport.TestServer;
import io.steward.console.ui.History;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprRequestView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The GDPR requests screen: the steps of a request, and the four eyes and confirmation an erasure needs. */
@ExtendWith(ApplicationExtension.class)
class GdprTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<GdprRequestView> requests() {
        return window.node("#requestTable", TableView.class);
    }

    private void select(FxRobot robot, String id) {
        window.await(
                WAIT,
                "request " + id + " listed",
                () -> requests().getItems().stream()
                        .anyMatch(r -> r.id().toString().equals(id)));
        robot.interact(() -> requests().getItems().stream()
                .filter(r -> r.id().toString().equals(id))
                .findFirst()
                .ifPresent(r -> requests().getSelectionModel().select(r)));
    }

    private String openRequest(String type) {
        return openRequest(server, type);
    }

    private static String openRequest(TestServer server, String type) {
        var api = Api.asAdmin(server);
        String users = api.send("GET", "/api/v1/users?role=student&limit=100", null, 200);
        var ids = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(users);
        String userId = null;
        int skip = (int) (System.nanoTime() % 50);
        while (ids.find()) {
            userId = ids.group(1);
            if (skip-- <= 0) {
                break;
            }
        }
        String created = api.send(
                "POST",
                "/api/v1/gdpr/requests",
                "{\"userId\":\"" + userId + "\",\"type\":\"" + type + "\",\"note\":\"by e-mail\"}",
                201);
        var id = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(created);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private void step(String button, String expectedState) {
        window.click(button);
        window.await(
                WAIT,
                "the request " + expectedState,
                () -> window.text("#done").endsWith("is now " + expectedState + "."));
    }

    @SuppressWarnings("unchecked")
    private ListView<AuditEntry> timeline() {
        return window.node("#timelineList", ListView.class);
    }

    @Test
    void aStepTakenBySomeoneElseShowsWithoutARefresh(FxRobot robot) {
        String id = openRequest("access");
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT5, "#requestTable");
        select(robot, id);
        window.await(
                WAIT,
                "Verify offered",
                () -> !window.node("#verify", javafx.scene.control.Button.class).isDisabled());
        // a colleague verifies it from another console; nobody here clicks Refresh
        Api.asAdmin(server).send("POST", "/api/v1/gdpr/requests/" + id + "/verify", "{\"note\":\"ID seen\"}", 200);
        window.await(
                WAIT,
                "the request shown verified",
                () -> requests().getItems().stream()
                        .anyMatch(r -> r.id().toString().equals(id)
                                && r.status() == io.steward.server.api.GdprStatus.VERIFIED));
        window.await(
                WAIT,
                "Verify no longer offered",
                () -> window.node("#verify", javafx.scene.control.Button.class).isDisabled());
    }

    @Test
    void supportVerifiesAndCompletesAnAccessRequest(FxRobot robot) throws Exception {
        String id = openRequest("access");
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT5, "#requestTable");
        select(robot, id);
        window.await(
                WAIT,
                "the subject's name",
                () -> window.node("#details", TextArea.class).getText().contains("<"));
        assertThat(window.node("#approve", javafx.scene.control.Button.class).isDisabled())
                .isTrue();
        robot.interact(() -> window.node("#text", TextField.class).setText("passport seen on a video call"));
        step("#verify", "verified");
        assertThat(window.node("#verify", javafx.scene.control.Button.class).isDisabled())
                .isTrue();

        // the subject's data, saved through the file chooser, to hand over
        String details = window.node("#details", TextArea.class).getText();
        String email = details.substring(details.indexOf('<') + 1, details.indexOf('>'));
        window.click("#export");
        window.await(WAIT, "the export saved", () -> window.text("#done").startsWith("Saved steward-export-"));
        Path saved;
        try (var files = Files.list(window.configDir())) {
            saved = files.filter(f -> f.getFileName().toString().matches("steward-export-.*\\.json"))
                    .findFirst()
                    .orElseThrow();
        }
        JsonNode export = new ObjectMapper().readTree(saved.toFile());
        assertThat(export.at("/profile/email").asText()).isEqualTo(email);
        assertThat(export.has("auditEntries")).isTrue();
        step("#complete", "completed");
        String digest = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(saved)));
        window.await(
                WAIT,
                "the saved file's digest as the request's evidence",
                () -> window.node("#details", TextArea.class)
                        .getText()
                        .replace("\n", "")
                        .contains("Export handed over, SHA-256 " + digest));
        // the timeline tells the story from the audit trail, oldest first, by name
        window.await(
                WAIT,
                "the request's completion in its timeline",
                () -> timeline().getItems().stream().anyMatch(e -> e.action().equals("gdpr.request_completed")));
        assertThat(timeline().getItems())
                .extracting(AuditEntry::action)
                .containsExactly(
                        "gdpr.request_opened",
                        "gdpr.request_verified",
                        "gdpr.subject_exported",
                        "gdpr.request_completed");
        assertThat(History.actor(timeline().getItems().get(1))).isEqualTo("Demo Support");
        assertThat(History.details(timeline().getItems().get(1), ZoneId.systemDefault()))
                .isEqualTo("note: passport seen on a video call");
        window.screenshot("gdpr.png");
    }

    @Test
    void savingAnExportCanBeCancelledAndLeavesNoFileBehind(FxRobot robot) throws Exception {
        String id = openRequest("portability");
        try (var proxy = SlowProxy.inFrontOf(server, path -> path.endsWith("/export"), Duration.ofSeconds(60))) {
            window = ConsoleWindow.openScreen(robot, proxy.url(), TestServer.SUPPORT, KeyCode.DIGIT5, "#requestTable");
            select(robot, id);
            robot.interact(() -> window.node("#text", TextField.class).setText("ID card checked at the desk"));
            step("#verify", "verified");
            window.click("#export");
            window.await(WAIT, "the export under way", () -> window.isShowing("#cancelExport"));
            assertThat(window.text("#exportProgress")).isEqualTo("Saving the subject's data…");
            window.click("#cancelExport");
            window.await(
                    WAIT,
                    "the export cancelled",
                    () -> window.text("#exportProgress").equals("Cancelled: nothing was saved."));
            assertThat(window.isShowing("#cancelExport")).isFalse();
            assertThat(window.node("#export", javafx.scene.control.Button.class).isDisabled())
                    .isFalse();
            try (var files = Files.list(window.configDir())) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("steward-export-"));
            }
        }
    }

    @Test
    void anErasureNeedsASecondPersonAndTheSubjectsEmailTyped(FxRobot robot) {
        // a second admin, made before the request arrived (four eyes: not an account made for it)
        String second = "second-admin-" + System.nanoTime() + "@steward.local";
        Api.asAdmin(server)
                .send(
                        "POST",
                        "/api/v1/users",
                        "{\"email\":\"" + second + "\",\"name\":\"Second Admin\",\"role\":\"admin\",\"password\":\""
                                + TestServer.PASSWORD + "\"}",
                        201);
        String id = openRequest("erasure");
        // the second admin verifies it, so the same admin may not approve it
        window = ConsoleWindow.openScreen(robot, server, second, KeyCode.DIGIT5, "#requestTable");
        select(robot, id);
        robot.interact(() -> window.node("#text", TextField.class).setText("ID checked"));
        step("#verify", "verified");
        assertThat(window.node("#approve", javafx.scene.control.Button.class).isDisabled())
                .isTrue();
        window.close();

        // support may not approve an erasure
        window = ConsoleWindow.openScreen(robot, server, TestServer.SUPPORT, KeyCode.DIGIT5, "#requestTable");
        select(robot, id);
        assertThat(window.node("#approve", javafx.scene.control.Button.class).isDisabled())
                .isTrue();
        assertThat(window.node("#complete", javafx.scene.control.Button.class).isDisabled())
                .isTrue();
        window.close();

        // another admin approves, then completes once the subject's e-mail is typed
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT5, "#requestTable");
        select(robot, id);
        window.click("#approve");
        window.awaitAnywhere("#approve-erasure-dialog", WAIT);
        robot.clickOn(robot.lookup("#approve-erasure-confirm").queryAs(javafx.scene.Node.class));
        window.await(WAIT, "the request approved", () -> window.text("#done").endsWith("is now approved."));
        // an approved erasure can still be refused, as the server allows: the buttons follow its actions
        assertThat(window.node("#reject", javafx.scene.control.Button.class).isDisabled())
                .isFalse();
        assertThat(window.node("#approve", javafx.scene.control.Button.class).isDisabled())
                .isTrue();
        GdprRequestView request = requests().getItems().stream()
                .filter(r -> r.id().toString().equals(id))
                .findFirst()
                .orElseThrow();
        String userJson = Api.asAdmin(server).send("GET", "/api/v1/users/" + request.userId(), null, 200);
        var email = java.util.regex.Pattern.compile("\"email\":\"([^\"]+)\"").matcher(userJson);
        assertThat(email.find()).isTrue();
        window.await(WAIT, "the erasure warning", () -> window.isShowing("#confirmation"));
        assertThat(window.text("#erasureWarning")).contains("cannot be undone");
        var completeButton = window.node("#complete", javafx.scene.control.Button.class);
        assertThat(completeButton.isDisabled())
                .as("Complete stays off until the address is typed")
                .isTrue();
        assertThat(window.text("#confirmationHint")).isEqualTo("Type " + email.group(1) + " to turn on Complete.");
        robot.interact(() -> window.node("#confirmation", TextField.class).setText("someone@else.example"));
        assertThat(window.text("#confirmationHint")).startsWith("That is not ");
        assertThat(completeButton.isDisabled()).isTrue();
        robot.interact(() -> window.node("#confirmation", TextField.class).setText(email.group(1)));
        assertThat(window.text("#confirmationHint")).startsWith("✔ That is ");
        window.screenshot("gdpr-erasure-confirm.png");
        step("#complete", "completed");
        window.await(
                WAIT,
                "the subject shown anonymised",
                () -> !window.node("#details", TextArea.class).getText().contains(email.group(1)));
        window.screenshot("gdpr-erasure.png");
        assertThat(Api.asAdmin(server).send("GET", "/api/v1/users/" + request.userId(), null, 200))
                .doesNotContain(email.group(1))
                .contains("\"anonymized\":true");
    }

    @Test
    void theRecipientsOfTheDataAreToldBeforeARestrictionCompletes(FxRobot robot) {
        try (TestServer own = TestServer.ownWith("gdpr-recipients", "--gdpr-recipients", "newsletter-provider")) {
            String id = openRequest(own, "restriction");
            window = ConsoleWindow.openScreen(robot, own, TestServer.SUPPORT, KeyCode.DIGIT5, "#requestTable");
            select(robot, id);
            window.await(
                    WAIT,
                    "the recipient listed",
                    () -> window.node("#details", TextArea.class)
                            .getText()
                            .contains("Recipient newsletter-provider: not told yet (Art. 19)"));
            step("#verify", "verified");
            // completing first is refused by the server, and the refusal is shown
            window.click("#complete");
            window.await(WAIT, "the refusal", () -> window.text("#problem").contains("newsletter-provider"));
            window.click("#recipients");
            window.await(
                    WAIT,
                    "the recipient recorded as told",
                    () -> window.text("#done").equals("Recorded that newsletter-provider was told."));
            step("#complete", "completed");
            window.close();
            window = null;
        }
    }
}
