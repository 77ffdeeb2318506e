package io.steward.server.reports;

import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Endpoint;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.io.IOException;

/**
 * {@code GET /api/v1/reports/{type}?from=&to=&format=json|csv|pdf} and {@code GET
 * /api/v1/reports/evidence-pack?from=&to=}.
 */
public final class ReportRoutes {
    private final ReportService reports;
    private final EvidencePackService packs;

    public ReportRoutes(ReportService reports, EvidencePackService packs) {
        this.reports = reports;
        this.packs = packs;
    }

    public void register(Router router) {
        router.handle(Endpoint.EVIDENCE_PACK, this::evidencePack);
        router.handle(Endpoint.REPORT, this::report);
    }

    private void evidencePack(Exchange ex) throws IOException {
        ComplianceReport.Period period = reports.period(ex.query("from"), ex.query("to"));
        ex.attachmentMade(
                "application/zip",
                EvidencePackService.fileName(period),
                () -> packs.build(ex.principal(), period, ex.requestId()));
    }

    private void report(Exchange ex) throws IOException {
        String type = ex.pathParam("type");
        ReportService.checkType(type);
        String format = ReportService.checkFormat(ex.query("format"));
        ComplianceReport.Period period = reports.period(ex.query("from"), ex.query("to"));
        ComplianceReport report = reports.generate(ex.principal(), type, period, format, ex.requestId());
        String name = "steward-" + type + "-" + period.from() + "-to-" + period.to();
        switch (format) {
            case "csv" -> ex.download("text/csv; charset=utf-8", name + ".csv", out -> ReportCsv.write(report, out));
            case "pdf" -> ex.attachment("application/pdf", name + ".pdf", ReportPdf.render(report));
            default -> ex.ok(report);
        }
    }
}
