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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The Compliance reports screen against a real server: an auditor previews a report and saves it
 * in each format, every file carrying the preview's digest, and a period before the installation
 * shows "no data" and why.
 */
@ExtendWith(ApplicationExtension.class)
class ReportsTest extends ScreenTest {
    /** The preview's last line: the SHA-256 of the evidence and the report's id. */
    private static final Pattern SIGNATURE =
            Pattern.compile("SHA-256 of the evidence: ([0-9a-f]{64}) — report ([0-9a-f-]{36})");

    @SuppressWarnings("unchecked")
    private TableView<ReportsViewModel.Line> lines() {
        return window.node("#reportTable", TableView.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorPreviewsAReportAndSavesItAsPdfCsvAndJsonEachWithThePreviewsDigest(FxRobot robot) throws Exception {
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
        // the server was installed today: most of the twelve months is not covered, and the screen says so
        assertThat(window.text("#coverage"))
                .startsWith("Evidence starts ")
                .contains(": the period before is not covered.");
        Matcher shown = SIGNATURE.matcher(window.text("#signature"));
        assertThat(shown.matches()).as(window.text("#signature")).isTrue();
        String digest = shown.group(1);
        String report = shown.group(2);
        window.screenshot("reports.png");

        // each form is the report previewed: its digest read back from the file saved
        Path pdf = save("#savePdf", "pdf");
        try (var document = Loader.loadPDF(pdf.toFile())) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", "");
            assertThat(text).as("the PDF's title page").contains(digest, report);
        }
        assertThat(window.text("#saved")).contains("It is the report shown, SHA-256 of the evidence " + digest);
        Path csv = save("#saveCsv", "csv");
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.getFirst()).isEqualTo("report,section,kind,item,row,field,value,unit,evidence");
        assertThat(rows)
                .contains("soc2,,report,,,sha256," + digest + ",,", "soc2,,report,,,generation," + report + ",,");
        Path json = save("#saveJson", "json");
        JsonNode saved = new ObjectMapper().readTree(json.toFile());
        assertThat(saved.get("type").asText()).isEqualTo("soc2");
        assertThat(saved.get("sha256").asText()).isEqualTo(digest);
        assertThat(saved.at("/generation/id").asText()).isEqualTo(report);
        assertThat(saved.at("/generation/generatedBy/email").asText()).isEqualTo(TestServer.AUDITOR);
        assertThat(window.text("#signature")).as("nothing was generated again").contains(digest, report);

        // the saved file's folder, opened in the system's file manager
        window.click("#showFolder");
        assertThat(window.foldersShown()).containsExactly(json.toAbsolutePath().getParent());
    }

    @Test
    void aQuarterBeforeTheServerWasInstalledShowsNoDataAndSaysWhy(FxRobot robot) {
        window = ConsoleWindow.openScreen(robot, server, TestServer.AUDITOR, KeyCode.DIGIT7, "#reportTable");
        previewDays(robot, java.time.LocalDate.of(2026, 7, 1), java.time.LocalDate.of(2026, 9, 30));
        window.await(WAIT, "the report's figures", () -> !lines().getItems().isEmpty());
        assertThat(window.text("#coverage"))
                .startsWith("Evidence starts ")
                .endsWith(", after this period: nothing in it is covered, so its figures say \"no data\".");
        assertThat(lines().getItems())
                .anySatisfy(line -> {
                    assertThat(line.figure()).isEqualTo("Successful sign-ins");
                    assertThat(line.value()).isEqualTo("no data");
                    assertThat(line.evidence()).startsWith("not covered: the evidence starts ");
                })
                .anySatisfy(line -> {
                    assertThat(line.figure()).isEqualTo("Audit chain verified intact");
                    assertThat(line.value()).isEqualTo("no data");
                })
                .noneSatisfy(line -> assertThat(line.value()).matches("0( .*)?|100 %"));
        window.screenshot("reports-not-covered.png");
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
        previewDays(robot, java.time.LocalDate.of(2026, 6, 30), java.time.LocalDate.of(2026, 6, 1));
        assertThat(window.text("#problem")).isEqualTo("The period's first day is after its last day.");
        assertThat(lines().getItems()).isEmpty();
    }

    /** Chooses a custom period and presses Preview. */
    private void previewDays(FxRobot robot, java.time.LocalDate from, java.time.LocalDate to) {
        robot.interact(() -> {
            window.node("#preset", ChoiceBox.class).setValue(ReportsViewModel.Preset.CUSTOM);
            window.node("#from", javafx.scene.control.DatePicker.class).setValue(from);
            window.node("#to", javafx.scene.control.DatePicker.class).setValue(to);
        });
        window.click("#preview");
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
