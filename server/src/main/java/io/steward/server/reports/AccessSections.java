package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.cells;
import static io.steward.server.reports.ReportParts.concat;
import static io.steward.server.reports.ReportParts.figure;

import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
import io.steward.server.reports.ReportRepository.StaffRole;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Logical access (SOC 2 CC6, ISO 27001 A.5.15-5.18): staff accounts and their roles, sign-ins,
 * privileged changes, dormant accounts, and erasure approvals that broke the four-eyes rule.
 */
final class AccessSections {
    static final int DORMANT_DAYS = 90;

    private AccessSections() {}

    /** Staff accounts, sign-ins, privileged changes, the access review and the four-eyes check. */
    static Section logicalAccess(Evidence e, String id, String title) throws SQLException {
        var staff = e.staffByRole();
        long active = staff.stream().mapToLong(StaffRole::active).sum();
        Map<String, Long> auth =
                e.auditCounts(List.of("auth.login", "auth.login_failed", "auth.lockout", "auth.login_locked"));
        var changes = e.roleChanges();
        var dormant = e.dormantStaff(DORMANT_DAYS);
        long deactivated = e.deactivations();
        return new Section(
                id,
                title,
                "Who can sign in to the console with which role, how sign-in went in the period, every"
                        + " privileged change with who made it, an access review of dormant staff accounts, and"
                        + " erasure approvals whose two persons were linked by an account change.",
                concat(
                        List.of(
                                figure(
                                        "staff.active",
                                        "Active staff accounts",
                                        active,
                                        "accounts",
                                        "users: role in (admin, auditor, support), active, not deleted; now"),
                                figure(
                                        "signins",
                                        "Successful sign-ins",
                                        auth.get("auth.login"),
                                        "sign-ins",
                                        "audit_log: action auth.login in the period"),
                                figure(
                                        "signins.failed",
                                        "Failed sign-ins",
                                        auth.get("auth.login_failed"),
                                        "attempts",
                                        "audit_log: action auth.login_failed in the period"),
                                figure(
                                        "lockouts",
                                        "Sign-in lockouts (5 failures to one account name from one address lock that name out from it for 15 minutes)",
                                        auth.get("auth.lockout"),
                                        "lockouts",
                                        "audit_log: action auth.lockout in the period"),
                                figure(
                                        "signins.refused.locked",
                                        "Sign-ins refused while locked",
                                        auth.get("auth.login_locked"),
                                        "attempts",
                                        "audit_log: action auth.login_locked in the period"),
                                figure(
                                        "deactivated",
                                        "Accounts deactivated",
                                        deactivated,
                                        "accounts",
                                        "audit_log: user.updated with active true to false in the period"),
                                figure(
                                        "privileged.changes",
                                        "Privileged changes (roles granted or changed)",
                                        changes.size(),
                                        "changes",
                                        "audit_log: user.updated changing role, staff accounts created, in the period"),
                                figure(
                                        "dormant",
                                        "Staff accounts dormant for " + DORMANT_DAYS + "+ days",
                                        dormant.size(),
                                        "accounts",
                                        "users, audit_log (auth.login): active staff whose last sign-in before the"
                                                + " period's end (or creation) is " + DORMANT_DAYS
                                                + "+ days before it")),
                        fourEyesFigures(e)),
                List.of(
                        new Table(
                                "staff.roles",
                                "Staff accounts by role",
                                List.of("Role", "Active", "Inactive"),
                                staff.stream()
                                        .map(r -> cells(r.role(), r.active(), r.inactive()))
                                        .toList(),
                                "users grouped by role, now"),
                        new Table(
                                "privileged.changes",
                                "Privileged changes",
                                List.of("At", "By", "Account", "Role now", "Role before", "Role after"),
                                changes.stream()
                                        .map(c -> cells(
                                                c.at(),
                                                c.by(),
                                                c.account(),
                                                c.roleNow(),
                                                c.roleBefore(),
                                                c.roleAfter()))
                                        .toList(),
                                "audit_log joined with users"),
                        new Table(
                                "access.review",
                                "Access review: staff accounts dormant at the period's end",
                                List.of("Account", "Role", "Last sign-in before the end", "Created"),
                                dormant.stream()
                                        .map(d -> cells(d.email(), d.role(), d.lastLogin(), d.created()))
                                        .toList(),
                                "audit_log: auth.login; users: last_login, created_at"),
                        fourEyesTable(e)));
    }

    /** Erasure approvals in the period, and those whose two persons were linked (read once). */
    static List<Figure> fourEyesFigures(Evidence e) throws SQLException {
        return List.of(
                figure(
                        "approvals",
                        "Erasure approvals",
                        e.approvals(),
                        "approvals",
                        "gdpr_requests: type erasure, approved in the period"),
                figure(
                        "approvals.linked",
                        "Approvals by a person linked to the verifier (should be none)",
                        e.linkedApprovals().size(),
                        "approvals",
                        "approver created, re-activated or role-changed by the verifier, or created after the"
                                + " request was received"));
    }

    static Table fourEyesTable(Evidence e) throws SQLException {
        return new Table(
                "approvals.linked",
                "Erasure approvals by a person linked to the verifier",
                List.of("Approved at", "Request", "Verified by", "Approved by", "Link"),
                e.linkedApprovals().stream()
                        .map(a -> cells(a.approvedAt(), a.request(), a.verifiedBy(), a.approvedBy(), a.link()))
                        .toList(),
                "gdpr_requests joined with staff_links (audit_log: user.created, user.updated) and users");
    }
}
