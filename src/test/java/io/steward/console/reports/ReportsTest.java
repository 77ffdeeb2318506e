package io.steward.console.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.ScreenTest;
import io.steward.console.testsupport.SlowProxy;
import io.steward.console.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Compliance reports screen: an auditor previews a report and saves it in each format. */
@ExtendWith(ApplicationExtension.class)
class ReportsTest extends ScreenTest {

    @SuppressWarnings("unchecked")
    private TableView<ReportsViewModel.Line> lines() {
        return window.node("#reportTable", TableView.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorPreviewsAReportAndSavesItAsPdfCsvAndJson(FxRobot robot) throws Exception {
        window = ConsoleWindow.openScreen(robot, server, TestServer.AUDITOR, KeyCode.DIGIT7, "#reportTable");
        // this year's sign-ins are in the last twelve months
        robot.interact(() -> window.node("#preset", ChoiceBox.class).setValue(ReportsViewModel.Preset.LAST_12_MONTHS));
        window.click("#preview");
        window.await(WAIT, "the report's figures", () -> !lines().getItems().isEmpty());
        assertThat(lines().getItems())
                .anySatisfy(line -> {
                    assertThat(line.figure()).isEqualTo("Successful sign-ins");
                    assertThat(line.value()).matches("[1-9][0-9,]* sign-ins?");
                })
                .anySatisfy(line -> {
                    assertThat(line.figure()).isEqualTo("Audit chain verified intact");
                    assertThat(line.value()).isEqualTo("yes");
                });
        assertThat(window.text("#heading")).startsWith("SOC 2 evidence report");
        String shown = window.text("#signature").replace("SHA-256 of the JSON form: ", "");
        assertThat(shown).matches("[0-9a-f]{64}");
        window.screenshot("reports.png");

        Path pdf = save("#savePdf", "pdf");
        assertThat(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
        Path csv = save("#saveCsv", "csv");
        assertThat(Files.readAllLines(csv).getFirst())
                .isEqualTo("report,section,kind,item,row,field,value,unit,evidence");
        Path json = save("#saveJson", "json");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("type").asText()).isEqualTo("soc2");
        assertThat(report.get("generation").get("generatedBy").get("email").asText())
                .isEqualTo(TestServer.AUDITOR);
        assertThat(report.get("sha256").asText()).matches("[0-9a-f]{64}");

        // the saved file's folder, opened in the system's file manager
        window.click("#showFolder");
        assertThat(window.foldersShown()).containsExactly(json.toAbsolutePath().getParent());
    }

    @Test
    void anAuditorSavesTheEvidencePackAndItVerifiesOffline(FxRobot robot) throws Exception {
        window = ConsoleWindow.openScreen(robot, server, TestServer.AUDITOR, KeyCode.DIGIT7, "#reportTable");
        robot.interact(() -> window.node("#preset", ChoiceBox.class).setValue(ReportsViewModel.Preset.LAST_12_MONTHS));
        window.click("#savePack");
        window.await(
                WAIT, "the evidence pack saved", () -> window.text("#saved").contains(".zip ("));
        window.screenshot("reports-evidence-pack.png");
        Path pack;
        try (var files = Files.list(window.configDir())) {
            pack = files.filter(f -> f.getFileName().toString().matches("steward-evidence-.*\\.zip"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(window.text("#saved"))
                .startsWith("Saved " + pack.getFileName() + " (")
                .contains(" An auditor checks it offline with: steward-server verify-evidence " + pack.getFileName()
                        + " --public-key KEY.pem");
        // the server's key, as an auditor gets it from the server itself
        String keyJson =
                io.steward.console.testsupport.Api.asAdmin(server).send("GET", "/api/v1/audit/public-key", null, 200);
        var pem = new ObjectMapper().readTree(keyJson);
        assertThat(window.text("#saved"))
                .contains(
                        "Signed with the server's audit key " + pem.get("keyId").asText());
        Path key = Files.writeString(
                pack.resolveSibling("server-key.pem"), pem.get("pem").asText());
        // what the auditor runs on their own machine: the server's offline command
        var verify = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.steward.server.Main",
                        "verify-evidence",
                        pack.toString(),
                        "--public-key",
                        key.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said)
                .contains("Report soc2: its own SHA-256 holds")
                .contains("Report gdpr: its own SHA-256 holds")
                .contains("Report iso27001: its own SHA-256 holds")
                .contains("\nVERIFIED: every signature and digest");
    }

    @Test
    void aReportBeingSavedCanBeCancelledAndLeavesNoFileBehind(FxRobot robot) throws Exception {
        // the server answers reports only after a minute: time enough to change one's mind
        try (var proxy =
                SlowProxy.inFrontOf(server, path -> path.startsWith("/api/v1/reports/"), Duration.ofSeconds(60))) {
            window = ConsoleWindow.openScreen(robot, proxy.url(), TestServer.AUDITOR, KeyCode.DIGIT7, "#reportTable");
            window.click("#savePdf");
            window.await(WAIT, "the save under way", () -> window.isShowing("#cancel"));
            assertThat(window.text("#progress")).isEqualTo("Writing the SOC 2 report as PDF…");
            assertThat(window.node("#savePdf", Button.class).isDisabled())
                    .as(
                            "problem: %s; saved: %s; progress: %s",
                            window.text("#problem"), window.text("#saved"), window.text("#progress"))
                    .isTrue();
            window.screenshot("reports-saving.png");

            long asked = System.nanoTime();
            window.click("#cancel");
            window.await(
                    WAIT, "the save cancelled", () -> window.text("#progress").equals("Cancelled."));
            assertThat(Duration.ofNanos(System.nanoTime() - asked))
                    .as("cancelled at once, not when the server answers")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(window.isShowing("#cancel")).isFalse();
            assertThat(window.node("#savePdf", Button.class).isDisabled()).isFalse();
            assertThat(window.text("#problem")).isEmpty();
            assertThat(window.isShowing("#showFolder")).isFalse();
            try (var files = Files.list(window.configDir())) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("neither the report nor a part of it")
                        .noneMatch(name -> name.startsWith("steward-soc2-"));
            }

            // the next try, with the server answering at once, saves the report
            proxy.stopHolding();
            save("#savePdf", "pdf");
        }
    }

    @Test
    void aCustomPeriodThatEndsBeforeItStartsIsRefusedInTheWindow(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.ADMIN, KeyCode.DIGIT7, "#reportTable");
        robot.interact(() -> {
            window.node("#preset", ChoiceBox.class).setValue(ReportsViewModel.Preset.CUSTOM);
            window.node("#from", javafx.scene.control.DatePicker.class).setValue(java.time.LocalDate.of(2026, 6, 30));
            window.node("#to", javafx.scene.control.DatePicker.class).setValue(java.time.LocalDate.of(2026, 6, 1));
        });
        window.click("#preview");
        assertThat(window.text("#problem")).isEqualTo("The period's first day is after its last day.");
        assertThat(lines().getItems()).isEmpty();
    }

    private Path save(String button, String format) {
        window.click(button);
        window.await(
                WAIT, "the " + format + " saved", () -> window.text("#saved").contains("." + format + " ("));
        try (var files = Files.list(window.configDir())) {
            return files.filter(f -> f.getFileName().toString().matches("steward-soc2-.*\\." + format))
                    .findFirst()
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
