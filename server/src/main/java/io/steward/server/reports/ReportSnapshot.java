package io.steward.server.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.server.api.ComplianceReport;
import io.steward.server.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * One generated report kept as it was made: the report, and its JSON, CSV and PDF rendered once
 * from it, so that the preview and every form saved from it carry one digest and one signed
 * generation, whose id is the snapshot's.
 */
public record ReportSnapshot(ComplianceReport report, byte[] json, byte[] csv, byte[] pdf) {

    /** Renders the three forms of {@code report}. */
    static ReportSnapshot of(ComplianceReport report) {
        byte[] json;
        try {
            json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is always JSON", e);
        }
        var csv = new StringWriter();
        try {
            ReportCsv.write(report, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return new ReportSnapshot(
                report, json, csv.toString().getBytes(StandardCharsets.UTF_8), ReportPdf.render(report));
    }

    public UUID id() {
        return generation().id();
    }

    public String sha256() {
        return Objects.requireNonNull(report.sha256(), "a generated report has its digest");
    }

    ComplianceReport.Generation generation() {
        return Objects.requireNonNull(report.generation(), "a generated report has its generation");
    }

    /** The form in {@code format}: json, csv or pdf. */
    public byte[] form(String format) {
        return switch (format) {
            case "csv" -> csv;
            case "pdf" -> pdf;
            default -> json;
        };
    }

    /** The name a form of a report of {@code type} over the period is saved under. */
    static String fileName(String type, ComplianceReport.Period period, String format) {
        return "steward-" + type + "-" + period.from() + "-to-" + period.to() + "." + format;
    }

    /** The media type of a form. */
    static String mediaType(String format) {
        return switch (format) {
            case "csv" -> "text/csv; charset=utf-8";
            case "pdf" -> "application/pdf";
            default -> "application/json";
        };
    }

    /** One form of a stored snapshot, as it is sent: what it is a report of, its digest, its bytes. */
    record Form(UUID id, String type, ComplianceReport.Period period, String sha256, String format, byte[] bytes) {}
}
