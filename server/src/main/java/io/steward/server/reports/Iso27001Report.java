package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.cells;
import static io.steward.server.reports.ReportParts.figure;

import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The ISO/IEC 27001:2022 Annex A evidence report: the controls the SOC 2 and GDPR evidence
 * answers, and change management, which only this report shows.
 */
final class Iso27001Report implements Report {
    @Override
    public String title() {
        return "ISO/IEC 27001:2022 Annex A evidence report";
    }

    @Override
    public List<Section> sections(Evidence e, @Nullable AuditVerification chain) throws SQLException {
        return List.of(
                AccessSections.logicalAccess(e, "A.5.15-5.18", "A.5.15 Access control, A.5.18 Access rights"),
                AuditSections.integrity(e, "A.8.15", "A.8.15 Logging", chain),
                OperationsSections.operations(e, "A.8.16", "A.8.16 Monitoring activities"),
                BackupSections.backups(e, "A.8.13", "A.8.13 Information backup"),
                GdprReport.requests(e, "A.5.34", "A.5.34 Privacy and protection of PII"),
                changeManagement(e, "A.8.32", "A.8.32 Change management"));
    }

    /** A.8.32: the schema migrations applied, and the feature-flag changes in the period. */
    private static Section changeManagement(Evidence e, String id, String title) throws SQLException {
        var migrations = e.migrations();
        Evidence.Window w = e.window();
        long inPeriod = migrations.stream()
                .filter(m ->
                        !m.installedOn().isBefore(w.from()) && m.installedOn().isBefore(w.to()))
                .count();
        var flags = e.flagChanges();
        return new Section(
                id,
                title,
                "Schema changes are versioned migrations with checksums, applied by the server at start;"
                        + " feature-flag changes are audited with their before and after.",
                List.of(
                        figure(
                                "migrations.total",
                                "Schema migrations applied",
                                migrations.size(),
                                "migrations",
                                "flyway_schema_history: installed_on before the period's end"),
                        figure(
                                "migrations.period",
                                "Schema migrations applied in the period",
                                inPeriod,
                                "migrations",
                                "flyway_schema_history: installed_on in the period"),
                        figure(
                                "migrations.failed",
                                "Failed migrations",
                                migrations.stream().filter(m -> !m.success()).count(),
                                "migrations",
                                "flyway_schema_history: success false"),
                        figure(
                                "flags.changes",
                                "Feature-flag changes",
                                flags.size(),
                                "changes",
                                "audit_log: flag.created, flag.updated in the period")),
                List.of(
                        new Table(
                                "migrations",
                                "Schema migrations",
                                List.of("Version", "Description", "Applied at", "Checksum", "Success"),
                                migrations.stream()
                                        .map(m -> cells(
                                                m.version(),
                                                m.description(),
                                                m.installedOn(),
                                                m.checksum(),
                                                m.success()))
                                        .toList(),
                                "flyway_schema_history"),
                        new Table(
                                "flags",
                                "Feature-flag changes",
                                List.of("At", "By", "Flag", "Change", "Enabled", "Percentage"),
                                flags.stream()
                                        .map(f -> cells(
                                                f.at(), f.by(), f.flag(), f.change(), f.enabled(), f.percentage()))
                                        .toList(),
                                "audit_log joined with users")));
    }
}
