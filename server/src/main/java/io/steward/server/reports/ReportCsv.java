package io.steward.server.reports;

import io.steward.server.api.ComplianceReport;
import io.steward.server.http.Csv;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A report as one flat CSV table a spreadsheet can filter: one line per fact about the report
 * (its period, its coverage and digest, then its signed generation), per figure, and per cell of
 * each evidence table; a figure or table without data says "no data" and why, never 0. Cells a spreadsheet would take for a formula are
 * neutralised (see {@link Csv}).
 */
final class ReportCsv {
    static final List<String> HEADER =
            List.of("report", "section", "kind", "item", "row", "field", "value", "unit", "evidence");

    /** What the value column says for a figure or table that has no data (a period not covered). */
    static final String NO_DATA = "no data";

    private ReportCsv() {}

    static void write(ComplianceReport report, Writer out) throws IOException {
        Csv.row(out, HEADER.toArray());
        String type = report.type();
        meta(out, type, "title", report.title());
        meta(out, type, "from", report.period().from());
        meta(out, type, "to", report.period().to());
        ComplianceReport.Coverage coverage = report.coverage();
        meta(out, type, "coverage", coverage.status().wireName(), null, coverage.note());
        meta(out, type, "evidenceStartsAt", coverage.evidenceStartsAt());
        meta(out, type, "coveredFrom", coverage.coveredFrom());
        meta(out, type, "coveredUntil", coverage.coveredUntil());
        meta(out, type, "sha256", report.sha256());
        ComplianceReport.Generation g = report.generation();
        if (g != null) {
            meta(out, type, "generation", g.id());
            meta(out, type, "generatedAt", g.generatedAt());
            meta(out, type, "generatedBy", g.generatedBy().email());
            meta(out, type, "generatedByRole", g.generatedBy().role());
            meta(out, type, "serverVersion", g.serverVersion());
            meta(out, type, "keyId", g.keyId());
            ComplianceReport.ChainCheck check = g.auditChainCheck();
            if (check != null) {
                meta(
                        out,
                        type,
                        "auditChainChecked",
                        check.checked(),
                        "entries",
                        "audit chain checked at generation (" + check.scope() + ") through entry "
                                + check.throughSeq());
            }
            meta(out, type, "signature", g.signature());
        }
        for (ComplianceReport.Section section : report.sections()) {
            for (ComplianceReport.Figure f : section.figures()) {
                String noData = f.noData();
                if (noData == null) {
                    Csv.row(
                            out,
                            type,
                            section.id(),
                            "figure",
                            f.key(),
                            null,
                            f.label(),
                            f.value(),
                            f.unit(),
                            f.evidence());
                } else {
                    noData(out, type, section.id(), "figure", f.key(), f.label(), noData + "; " + f.evidence());
                }
            }
            for (ComplianceReport.Table table : section.tables()) {
                String noData = table.noData();
                if (noData != null) {
                    noData(
                            out,
                            type,
                            section.id(),
                            "table",
                            table.key(),
                            table.title(),
                            noData + "; " + table.evidence());
                }
                int n = 0;
                for (List<@Nullable Object> row : table.rows()) {
                    n++;
                    for (int c = 0; c < table.columns().size(); c++) {
                        Csv.row(
                                out,
                                type,
                                section.id(),
                                "table",
                                table.key(),
                                n,
                                table.columns().get(c),
                                c < row.size() ? row.get(c) : null,
                                null,
                                table.evidence());
                    }
                }
            }
        }
    }

    private static void noData(
            Writer out, String type, String section, String kind, String item, String label, String why)
            throws IOException {
        Csv.row(out, type, section, kind, item, null, label, NO_DATA, null, why);
    }

    private static void meta(Writer out, String type, String field, @Nullable Object value) throws IOException {
        meta(out, type, field, value, null, null);
    }

    private static void meta(
            Writer out,
            String type,
            String field,
            @Nullable Object value,
            @Nullable String unit,
            @Nullable String evidence)
            throws IOException {
        Csv.row(out, type, null, "report", null, null, field, value, unit, evidence);
    }
}
