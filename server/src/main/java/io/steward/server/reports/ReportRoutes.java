package io.steward.server.reports;

import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Endpoint;
import io.steward.server.api.ReportRequest;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /api/v1/reports/{type}} (generate a snapshot), {@code GET
 * /api/v1/reports/snapshots/{id}?format=json|csv|pdf} (a snapshot as generated), {@code GET
 * /api/v1/reports/{type}?from=&to=&format=} (generate and answer in one) and {@code GET
 * /api/v1/reports/evidence-pack?from=&to=}.
 */
public final class ReportRoutes {
    /** The digest of the report's evidence that a snapshot's form carries. */
    static final String DIGEST_HEADER = "X-Report-SHA256";

    private final ReportService reports;
    private final EvidencePackService packs;

    public ReportRoutes(ReportService reports, EvidencePackService packs) {
        this.reports = reports;
        this.packs = packs;
    }

    public void register(Router router) {
        router.handle(Endpoint.EVIDENCE_PACK, this::evidencePack);
        router.handle(Endpoint.REPORT_SNAPSHOT, this::snapshot);
        router.handle(Endpoint.REPORT_GENERATE, this::generate);
        router.handle(Endpoint.REPORT, this::report);
    }

    private void evidencePack(Exchange ex) throws IOException {
        ComplianceReport.Period period = reports.period(ex.query("from"), ex.query("to"));
        ex.attachmentMade(
                "application/zip",
                EvidencePackService.fileName(period),
                () -> packs.build(ex.principal(), period, ex.requestId()));
    }

    private void generate(Exchange ex) {
        String type = ex.pathParam("type");
        ReportService.checkType(type);
        ReportRequest body = ex.body(ReportRequest.class);
        ComplianceReport.Period period =
                reports.period(Optional.ofNullable(body.from()), Optional.ofNullable(body.to()));
        ReportSnapshot snapshot = reports.generate(ex.principal(), type, period, null, ex.requestId());
        ex.responseHeader("Location", Endpoint.REPORT_SNAPSHOT.path(snapshot.id()));
        ex.responseHeader(DIGEST_HEADER, snapshot.sha256());
        ex.json(201, snapshot.report());
    }

    private void snapshot(Exchange ex) throws IOException {
        var id = ex.uuidParam("id");
        String format = ReportService.checkFormat(ex.query("format"));
        ReportSnapshot.Form form = reports.download(ex.principal(), id, format, ex.requestId());
        ex.responseHeader(DIGEST_HEADER, form.sha256());
        ex.attachment(
                ReportSnapshot.mediaType(format),
                ReportSnapshot.fileName(form.type(), form.period(), format),
                form.bytes());
    }

    private void report(Exchange ex) throws IOException {
        String type = ex.pathParam("type");
        ReportService.checkType(type);
        String format = ReportService.checkFormat(ex.query("format"));
        ComplianceReport.Period period = reports.period(ex.query("from"), ex.query("to"));
        ReportSnapshot snapshot = reports.generate(ex.principal(), type, period, format, ex.requestId());
        ex.responseHeader("Content-Location", Endpoint.REPORT_SNAPSHOT.path(snapshot.id()));
        ex.responseHeader(DIGEST_HEADER, snapshot.sha256());
        String name = ReportSnapshot.fileName(type, period, format);
        if (format.equals("json")) {
            ex.ok(snapshot.report());
        } else {
            ex.attachment(ReportSnapshot.mediaType(format), name, snapshot.form(format));
        }
    }
}
