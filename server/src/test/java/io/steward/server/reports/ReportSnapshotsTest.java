package io.steward.server.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Response;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A report is generated once, as a snapshot, and each of its forms is served from it over real
 * HTTP: the JSON, the CSV and the PDF (read back with PDFBox) carry one digest and one generation,
 * byte for byte the same at every download, and each generation and download is audited.
 */
class ReportSnapshotsTest {
    static TestServer server;
    static String auditor;
    static LocalDate today;

    @BeforeAll
    static void start() {
        server = TestServer.start("report_snapshots");
        auditor = server.tokenFor(Role.AUDITOR);
        today = LocalDate.ofInstant(server.clock.instant(), ZoneOffset.UTC);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theJsonCsvAndPdfOfOneSnapshotCarryItsDigestAndGeneration() throws Exception {
        JsonNode made;
        String location;
        try (Response r = server.call(
                "POST", "/api/v1/reports/soc2", auditor, Map.of("from", today.toString(), "to", today.toString()))) {
            made = server.json(r);
            assertThat(r.code()).as(made.toString()).isEqualTo(201);
            location = r.header("Location");
            assertThat(r.header("X-Report-SHA256")).isEqualTo(made.get("sha256").asText());
        }
        String digest = made.get("sha256").asText();
        String id = made.at("/generation/id").asText();
        assertThat(location).isEqualTo("/api/v1/reports/snapshots/" + id);
        assertThat(made.at("/generation/generatedBy/email").asText()).isEqualTo(TestServer.AUDITOR);

        byte[] json = form(location, "json", digest);
        JsonNode saved = server.mapper.readTree(json);
        assertThat(saved.get("sha256").asText()).isEqualTo(digest);
        assertThat(saved.get("generation")).isEqualTo(made.get("generation"));
        assertThat(saved.get("sections")).isEqualTo(made.get("sections"));

        String csv = new String(form(location, "csv", digest), StandardCharsets.UTF_8);
        assertThat(csv).contains("soc2,,report,,,sha256," + digest + ",", "soc2,,report,,,generation," + id + ",");

        byte[] pdf = form(location, "pdf", digest);
        java.nio.file.Files.write(java.nio.file.Path.of("target", "snapshot-soc2-report.pdf"), pdf);
        try (var document = Loader.loadPDF(pdf)) {
            var titlePage = new PDFTextStripper();
            titlePage.setStartPage(1);
            titlePage.setEndPage(1);
            // a long value may wrap in its cell: compare without white space
            String text = titlePage.getText(document).replaceAll("\\s+", "");
            assertThat(text).contains(digest, id);
        }
        // every download is the snapshot as it was made, not the report made again
        assertThat(form(location, "pdf", digest)).isEqualTo(pdf);
        assertThat(form(location, "json", digest)).isEqualTo(json);

        List<String> downloads = TestDatabase.strings(
                server.db,
                "SELECT details ->> 'format' FROM audit_log WHERE action = 'report.downloaded'"
                        + " AND details ->> 'snapshot' = '" + id + "' AND details ->> 'sha256' = '" + digest + "'"
                        + " ORDER BY seq");
        assertThat(downloads).containsExactly("json", "csv", "pdf", "pdf", "json");
        assertThat(TestDatabase.strings(
                        server.db,
                        "SELECT details ->> 'sha256' FROM audit_log WHERE action = 'report.generated'"
                                + " AND details ->> 'snapshot' = '" + id + "'"))
                .containsExactly(digest);
    }

    @Test
    void theOneCallGetNamesTheSnapshotItMade() throws Exception {
        String location;
        String digest;
        try (Response r = server.call(
                "GET", "/api/v1/reports/gdpr?from=" + today + "&to=" + today + "&format=csv", auditor, null)) {
            assertThat(r.code()).isEqualTo(200);
            location = r.header("Content-Location");
            digest = r.header("X-Report-SHA256");
            assertThat(r.body().string()).contains("gdpr,,report,,,sha256," + digest + ",");
        }
        assertThat(location).startsWith("/api/v1/reports/snapshots/");
        assertThat(server.mapper
                        .readTree(form(location, "json", digest))
                        .get("sha256")
                        .asText())
                .isEqualTo(digest);
    }

    @Test
    void anUnknownSnapshotIs404ABadIdOrFormat400AndSupportMayNotGenerate() {
        assertThat(server.status("GET", "/api/v1/reports/snapshots/" + UUID.randomUUID(), auditor, null))
                .isEqualTo(404);
        assertThat(server.status("GET", "/api/v1/reports/snapshots/not-an-id", auditor, null))
                .isEqualTo(400);
        try (Response r = server.call("POST", "/api/v1/reports/soc2", auditor, Map.of("from", "2026-02-30"))) {
            JsonNode error = server.json(r).get("error");
            assertThat(r.code()).isEqualTo(400);
            assertThat(error.get("field").asText()).isEqualTo("from");
        }
        try (Response r = server.call("POST", "/api/v1/reports/soc2", auditor, Map.of())) {
            assertThat(r.code()).as("no dates: the last full quarter").isEqualTo(201);
            String location = r.header("Location");
            assertThat(server.status("GET", location + "?format=docx", auditor, null))
                    .isEqualTo(400);
        }
        assertThat(server.status("POST", "/api/v1/reports/hipaa", auditor, Map.of()))
                .isEqualTo(404);
        assertThat(server.status("POST", "/api/v1/reports/soc2", server.tokenFor(Role.SUPPORT), Map.of()))
                .isEqualTo(403);
    }

    /** What a report shows whatever its period: it is not evidence of one. */
    static final java.util.Set<String> NOT_ABOUT_THE_PERIOD =
            java.util.Set.of("database.historyProtected", "activities");

    @ParameterizedTest
    @ValueSource(strings = {"soc2", "gdpr", "iso27001"})
    void aQuarterBeforeTheInstallationIsNotCoveredAndShowsNoDataNeverAZero(String type) throws Exception {
        JsonNode report;
        String location;
        try (Response r = server.call(
                "POST", "/api/v1/reports/" + type, auditor, Map.of("from", "2026-07-01", "to", "2026-09-30"))) {
            report = server.json(r);
            assertThat(r.code()).as(report.toString()).isEqualTo(201);
            location = r.header("Location");
        }
        JsonNode coverage = report.get("coverage");
        assertThat(coverage.get("status").asText()).isEqualTo("none");
        assertThat(coverage.get("coveredFrom").isNull()).isTrue();
        assertThat(coverage.get("coveredSeconds").asLong()).isZero();
        Instant starts = Instant.parse(coverage.get("evidenceStartsAt").asText());
        assertThat(starts).isAfter(Instant.parse("2026-10-01T00:00:00Z")).isBeforeOrEqualTo(server.clock.instant());
        assertThat(coverage.get("note").asText()).startsWith("Evidence starts ").contains("after the period");

        var figureKeys = new java.util.ArrayList<String>();
        for (JsonNode section : report.get("sections")) {
            for (JsonNode figure : section.get("figures")) {
                String key = figure.get("key").asText();
                figureKeys.add(key);
                if (NOT_ABOUT_THE_PERIOD.contains(key)) {
                    assertThat(figure.get("value").isNull()).as(key).isFalse();
                } else {
                    assertThat(figure.get("value").isNull())
                            .as(key + " " + figure)
                            .isTrue();
                    assertThat(figure.get("noData").asText()).as(key).startsWith("not covered: the evidence starts");
                }
            }
            for (JsonNode table : section.get("tables")) {
                if (!table.get("key").asText().equals("processing")) {
                    assertThat(table.get("rows")).as(table.get("key").asText()).isEmpty();
                    assertThat(table.get("noData").asText()).startsWith("not covered");
                }
            }
        }
        assertThat(figureKeys).contains(type.equals("gdpr") ? "gdpr.received" : "signins");
        if (!type.equals("gdpr")) {
            assertThat(figureKeys).contains(type.equals("soc2") ? "uptime" : "backups.completed", "audit.chain.valid");
        }

        // the CSV says "no data" where the JSON says null, and no figure is a 0
        String csv = new String(form(location, "csv", report.get("sha256").asText()), StandardCharsets.UTF_8);
        assertThat(csv).contains(type + ",,report,,,coverage,none,");
        for (String line : csv.lines().toList()) {
            if (line.contains(",figure,")
                    && NOT_ABOUT_THE_PERIOD.stream().noneMatch(k -> line.contains(",figure," + k + ","))) {
                assertThat(line).as(line).contains(",no data,");
            }
        }
        // and so does the PDF, read back
        byte[] pdf = form(location, "pdf", report.get("sha256").asText());
        java.nio.file.Files.write(java.nio.file.Path.of("target", "uncovered-" + type + "-report.pdf"), pdf);
        try (var document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertThat(text)
                    .contains("Coverage", "none of the period: no data", "Evidence starts ")
                    .contains("no data")
                    .doesNotContain("None in this period");
            if (!type.equals("gdpr")) {
                assertThat(text).doesNotContain(" 0 sign-ins", "100 %");
            }
        }
    }

    /** The snapshot at {@code location} in {@code format}, checked to name its digest. */
    static byte[] form(String location, String format, String digest) throws Exception {
        try (Response r = server.call("GET", location + "?format=" + format, auditor, null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("X-Report-SHA256")).isEqualTo(digest);
            assertThat(r.header("Content-Disposition")).contains("steward-").endsWith("." + format + "\"");
            return r.body().bytes();
        }
    }
}
