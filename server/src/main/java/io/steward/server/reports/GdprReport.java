package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.cells;
import static io.steward.server.reports.ReportParts.concat;
import static io.steward.server.reports.ReportParts.figure;
import static io.steward.server.reports.ReportParts.percent;

import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
import io.steward.server.api.GdprStatus;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.reports.ReportRepository.Completion;
import io.steward.server.reports.ReportRepository.OpenRequests;
import io.steward.server.reports.ReportRepository.Removed;
import io.steward.server.reports.ReportRepository.RequestCount;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The GDPR compliance report: data-subject requests and their deadlines, erasure and storage
 * limitation, and the records of processing. It does not show the audit chain's check.
 */
final class GdprReport implements Report {
    private final List<RetentionService.Policy> retention;

    GdprReport(List<RetentionService.Policy> retention) {
        this.retention = List.copyOf(retention);
    }

    @Override
    public String title() {
        return "GDPR compliance report";
    }

    @Override
    public boolean showsAuditChain() {
        return false;
    }

    @Override
    public List<Section> sections(Evidence e, @Nullable AuditVerification chain) throws SQLException {
        return List.of(
                requests(e, "requests", "Data-subject requests (Art. 12, 15-22)"),
                erasureAndRetention(e, "storage", "Erasure and storage limitation (Art. 5(1)(e), 17)"),
                recordsOfProcessing());
    }

    /** The requests received, completed and open, and the erasure approvals: GDPR, and ISO 27001 A.5.34. */
    static Section requests(Evidence e, String id, String title) throws SQLException {
        var statuses =
                Arrays.stream(GdprStatus.values()).map(GdprStatus::wireName).toList();
        var pivot = new TreeMap<String, long[]>();
        long received = 0;
        for (RequestCount r : e.requestsByTypeAndStatus()) {
            long[] counts = pivot.computeIfAbsent(r.type(), t -> new long[statuses.size() + 1]);
            counts[statuses.indexOf(r.status())] += r.count();
            counts[statuses.size()] += r.count();
            received += r.count();
        }
        var rows = new ArrayList<List<@Nullable Object>>();
        pivot.forEach((type, counts) -> {
            var row = new ArrayList<@Nullable Object>();
            row.add(type);
            for (long c : counts) {
                row.add(c);
            }
            rows.add(row);
        });
        Completion completion = e.completion();
        long completed = completion.completed();
        long late = completion.late();
        OpenRequests open = e.openRequests();
        var extensions = e.extensions();
        @Nullable BigDecimal median = completion.medianDays();
        var columns = new ArrayList<>(List.of("Type"));
        statuses.forEach(s -> columns.add(Character.toUpperCase(s.charAt(0)) + s.substring(1)));
        columns.add("Total");
        return new Section(
                id,
                title,
                "Requests are due one month after receipt (Art. 12(3)), or later when extended with a"
                        + " reason; late means completed after that deadline. An erasure needs a second"
                        + " person's approval: not the verifier, nor an account the verifier created,"
                        + " re-activated or changed the role of, nor one created after the request arrived.",
                concat(
                        List.of(
                                figure(
                                        "gdpr.received",
                                        "Requests received",
                                        received,
                                        "requests",
                                        "gdpr_requests: received_at in the period"),
                                figure(
                                        "gdpr.completed",
                                        "Requests completed",
                                        completed,
                                        "requests",
                                        "gdpr_requests: completed_at in the period"),
                                figure(
                                        "gdpr.completed.ontime",
                                        "Completed on time",
                                        completed - late,
                                        "requests",
                                        "completed_at at or before the deadline (extended where it was)"),
                                figure(
                                        "gdpr.completed.late",
                                        "Completed late",
                                        late,
                                        "requests",
                                        "completed_at after the deadline"),
                                figure(
                                        "gdpr.late.percent",
                                        "Share completed late",
                                        percent(late, completed),
                                        "%",
                                        "late / completed"),
                                figure(
                                        "gdpr.median.days",
                                        "Median time to complete",
                                        median == null ? null : median.doubleValue(),
                                        "days",
                                        "gdpr_requests: completed_at - received_at, median"),
                                figure(
                                        "gdpr.open",
                                        "Open at the period's end",
                                        open.open(),
                                        "requests",
                                        "gdpr_requests: received, not yet completed or rejected (audit_log:"
                                                + " gdpr.request_rejected), at the period's end"),
                                figure(
                                        "gdpr.overdue",
                                        "Overdue at the period's end",
                                        open.overdue(),
                                        "requests",
                                        "requests open at the period's end and past their deadline then"),
                                figure(
                                        "gdpr.extensions",
                                        "Extensions granted",
                                        extensions.size(),
                                        "requests",
                                        "audit_log: gdpr.request_extended in the period")),
                        AccessSections.fourEyesFigures(e)),
                List.of(
                        new Table(
                                "gdpr.types",
                                "Requests received by type and state",
                                columns,
                                rows,
                                "gdpr_requests received in the period, grouped by type and their status now"),
                        new Table(
                                "gdpr.extensions",
                                "Extensions and their reasons",
                                List.of(
                                        "Extended at",
                                        "Request",
                                        "Type",
                                        "Due",
                                        "Extended until",
                                        "Reason (the text is on the request)"),
                                extensions.stream()
                                        .map(x -> cells(
                                                x.at(), x.request(), x.type(), x.due(), x.extendedUntil(), x.reason()))
                                        .toList(),
                                "audit_log joined with gdpr_requests"),
                        AccessSections.fourEyesTable(e)));
    }

    private static Section erasureAndRetention(Evidence e, String id, String title) throws SQLException {
        long erasures = e.erasures();
        long runs = e.auditCounts(List.of("gdpr.retention_run")).getOrDefault("gdpr.retention_run", 0L);
        var removed = e.retentionRemoved();
        long total = removed.stream().mapToLong(Removed::rows).sum();
        return new Section(
                id,
                title,
                "Erasure anonymises the subject in every table in one transaction; retention removes"
                        + " records older than their configured period every day.",
                concat(
                        List.of(
                                figure(
                                        "erasures",
                                        "Erasures executed",
                                        erasures,
                                        "subjects",
                                        "gdpr_requests: type erasure, completed in the period"),
                                figure(
                                        "retention.runs",
                                        "Retention runs",
                                        runs,
                                        "runs",
                                        "audit_log: gdpr.retention_run in the period"),
                                figure(
                                        "retention.removed",
                                        "Rows removed by retention",
                                        total,
                                        "rows",
                                        "audit_log: gdpr.retention_run details, summed")),
                        AuditSections.trust(e)),
                List.of(new Table(
                        "retention.tables",
                        "Rows removed per table",
                        List.of("Table", "Rows removed"),
                        removed.stream().map(r -> cells(r.table(), r.rows())).toList(),
                        "audit_log: gdpr.retention_run details")));
    }

    private Section recordsOfProcessing() {
        var rows = new ArrayList<List<@Nullable Object>>();
        for (ProcessingRecords.Activity activity : ProcessingRecords.ACTIVITIES) {
            rows.add(List.of(
                    activity.purpose(),
                    activity.subjects(),
                    activity.categories(),
                    activity.legalBasis(),
                    String.join(", ", activity.tables()),
                    ProcessingRecords.retentionOf(activity, retention)));
        }
        return new Section(
                "art30",
                "Records of processing activities (Art. 30)",
                "What Steward's platform database holds, why, and for how long; retention periods are the"
                        + " ones this server is configured with (--retention) and enforces daily.",
                List.of(figure("activities", "Processing activities recorded", rows.size(), "", "the register below")),
                List.of(new Table(
                        "processing",
                        "Processing activities",
                        List.of("Purpose", "Data subjects", "Personal data", "Legal basis", "Tables", "Retention"),
                        rows,
                        "server configuration: the register of processing and --retention")));
    }
}
