package io.steward.server.reports;

import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport.Section;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The SOC 2 evidence report: the Trust Services Criteria that Steward's records answer. */
final class Soc2Report implements Report {
    @Override
    public String title() {
        return "SOC 2 evidence report (Trust Services Criteria)";
    }

    @Override
    public List<Section> sections(Evidence e, @Nullable AuditVerification chain) throws SQLException {
        return List.of(
                AccessSections.logicalAccess(e, "CC6", "CC6 Logical and physical access controls"),
                OperationsSections.operations(e, "CC7", "CC7 System operations"),
                OperationsSections.availability(e, "A1", "A1 Availability"),
                AuditSections.integrity(e, "PI1", "Processing integrity: the audit trail", chain));
    }
}
