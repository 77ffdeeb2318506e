package io.steward.server.reports;

import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport.Section;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One kind of compliance report: its title, and its sections as made from one snapshot's evidence. */
sealed interface Report permits Soc2Report, GdprReport, Iso27001Report {
    String title();

    /**
     * Whether its sections show the audit chain's check, which is made before the snapshot is
     * read; unless a report says otherwise, they do.
     */
    default boolean showsAuditChain() {
        return true;
    }

    /** @param chain the audit chain's check; null when {@link #showsAuditChain()} is false */
    List<Section> sections(Evidence evidence, @Nullable AuditVerification chain) throws SQLException;
}
