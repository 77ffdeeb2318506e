package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.figure;

import io.steward.server.api.AuditVerification;
import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.db.DatabaseRoles;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail (SOC 2 PI1, ISO 27001 A.8.15): whether the server could change it, what it
 * recorded in the period, and the check of its chain against the signed checkpoints.
 */
final class AuditSections {
    private AuditSections() {}

    /** The audit trail's section: who could change it, how much was recorded, and its check at generation. */
    static Section integrity(Evidence e, String id, String title, @Nullable AuditVerification chain)
            throws SQLException {
        return new Section(
                id,
                title,
                "The audit trail is append-only in the database and hash-chained, and its head is signed"
                        + " every minute (Ed25519 checkpoints); the chain is checked against the checkpoints"
                        + " when the report is generated.",
                auditFigures(e, chain),
                List.of());
    }

    /**
     * Whether the role the server works as could have changed the history these figures come
     * from. (The key the audit checkpoints are signed with is the generation's: it signs the
     * report beside its digest.)
     */
    static List<Figure> trust(Evidence e) {
        DatabaseRoles.Access access = e.access();
        return List.of(figure(
                "database.historyProtected",
                "The server's database role cannot change or delete audit entries",
                access.historyProtected(),
                "",
                "role " + access.role()
                        + (access.superuser() ? " (a superuser, started with --allow-superuser)" : "")
                        + ": privileges on audit_log checked at generation"));
    }

    private static List<Figure> auditFigures(Evidence e, @Nullable AuditVerification chain) throws SQLException {
        var figures = new ArrayList<Figure>();
        figures.addAll(trust(e));
        figures.add(figure(
                "audit.entries",
                "Audit entries recorded in the period",
                e.auditEntries(),
                "entries",
                "audit_log: at in the period"));
        if (chain != null) {
            figures.add(figure(
                    "audit.chain.valid",
                    "Audit chain verified intact",
                    chain.valid(),
                    "",
                    chain.valid()
                            ? "every entry's SHA-256 recomputed from its predecessor's hash and its content, and"
                                    + " every signed checkpoint found in the chain, at generation"
                            : String.join("; ", chain.problems())));
            figures.add(figure(
                    "audit.chain.broken",
                    "First broken entry",
                    chain.firstBrokenId() == null ? null : chain.firstBrokenId().toString(),
                    "",
                    "audit_log id, when the chain is broken"));
            var newest = e.latestCheckpoint();
            figures.add(figure(
                    "audit.checkpoint.latest",
                    "Newest signed checkpoint of the chain by the period's end (entry)",
                    newest == null ? null : newest.seq(),
                    "",
                    newest == null
                            ? "audit_checkpoints: none signed before the period's end"
                            : "audit_checkpoints: signed " + newest.at() + " by key " + newest.keyId() + " on "
                                    + newest.instance()));
        }
        return figures;
    }
}
