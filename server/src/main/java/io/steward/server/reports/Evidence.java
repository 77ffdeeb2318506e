package io.steward.server.reports;

import io.steward.server.db.DatabaseRoles;
import io.steward.server.db.Tx;
import io.steward.server.reports.OperationsRepository.Availability;
import io.steward.server.reports.OperationsRepository.Backup;
import io.steward.server.reports.OperationsRepository.BackupTotals;
import io.steward.server.reports.OperationsRepository.Incident;
import io.steward.server.reports.OperationsRepository.RestoreTest;
import io.steward.server.reports.OperationsRepository.RestoreTotals;
import io.steward.server.reports.OperationsRepository.RuleCount;
import io.steward.server.reports.OperationsRepository.RuleFirings;
import io.steward.server.reports.OperationsRepository.SeverityAlerts;
import io.steward.server.reports.ReportRepository.Completion;
import io.steward.server.reports.ReportRepository.DormantAccount;
import io.steward.server.reports.ReportRepository.Extension;
import io.steward.server.reports.ReportRepository.FlagChange;
import io.steward.server.reports.ReportRepository.LinkedApproval;
import io.steward.server.reports.ReportRepository.Migration;
import io.steward.server.reports.ReportRepository.OpenRequests;
import io.steward.server.reports.ReportRepository.Removed;
import io.steward.server.reports.ReportRepository.RequestCount;
import io.steward.server.reports.ReportRepository.RoleChange;
import io.steward.server.reports.ReportRepository.StaffRole;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The evidence of one snapshot, for one period: the repositories' reads bound to the snapshot's
 * transaction and to the period's window. What more than one section shows is read once.
 */
final class Evidence {
    /**
     * The period as instants: {@code [from, to)}, {@code end} = to or now if sooner. What a report
     * says about a state (open requests, dormant accounts) is at {@code end}, never at the moment of
     * generation, so a period that is over reads the same whenever it is generated.
     */
    record Window(Instant from, Instant to, Instant end) {}

    private final ReportRepository people;
    private final OperationsRepository operations;
    private final Tx tx;
    private final Window w;
    private final DatabaseRoles.Access access;
    private @Nullable Availability availability;
    private @Nullable List<LinkedApproval> linked;

    Evidence(
            ReportRepository people,
            OperationsRepository operations,
            Tx tx,
            Window window,
            DatabaseRoles.Access access) {
        this.people = people;
        this.operations = operations;
        this.tx = tx;
        this.w = window;
        this.access = access;
    }

    Window window() {
        return w;
    }

    /** What the server's database role may do to the audit trail, checked at generation. */
    DatabaseRoles.Access access() {
        return access;
    }

    // people and records

    List<StaffRole> staffByRole() throws SQLException {
        return people.staffByRole(tx);
    }

    Map<String, Long> auditCounts(List<String> actions) throws SQLException {
        return people.auditCounts(tx, actions, w.from(), w.to());
    }

    long auditEntries() throws SQLException {
        return people.auditEntries(tx, w.from(), w.to());
    }

    long deactivations() throws SQLException {
        return people.deactivations(tx, w.from(), w.to());
    }

    List<RoleChange> roleChanges() throws SQLException {
        return people.roleChanges(tx, w.from(), w.to());
    }

    /** Staff accounts unused for {@code days} before the window's end. */
    List<DormantAccount> dormantStaff(int days) throws SQLException {
        return people.dormantStaff(tx, w.end(), days);
    }

    long approvals() throws SQLException {
        return people.approvals(tx, w.from(), w.to());
    }

    /** Read once: the access sections and the GDPR requests section both show them. */
    List<LinkedApproval> linkedApprovals() throws SQLException {
        if (linked == null) {
            linked = people.linkedApprovals(tx, w.from(), w.to());
        }
        return linked;
    }

    List<RequestCount> requestsByTypeAndStatus() throws SQLException {
        return people.gdprByTypeAndStatus(tx, w.from(), w.to());
    }

    Completion completion() throws SQLException {
        return people.gdprCompletion(tx, w.from(), w.to());
    }

    /** Open at the window's end. */
    OpenRequests openRequests() throws SQLException {
        return people.gdprOpenAt(tx, w.end());
    }

    List<Extension> extensions() throws SQLException {
        return people.gdprExtensions(tx, w.from(), w.to());
    }

    long erasures() throws SQLException {
        return people.erasures(tx, w.from(), w.to());
    }

    List<Removed> retentionRemoved() throws SQLException {
        return people.retentionRemoved(tx, w.from(), w.to());
    }

    /** Every migration applied before the window's end. */
    List<Migration> migrations() throws SQLException {
        return people.migrations(tx).stream()
                .filter(m -> m.installedOn().isBefore(w.end()))
                .toList();
    }

    /** The newest signed checkpoint of the audit chain before the window's end; null when none. */
    ReportRepository.@Nullable Checkpoint latestCheckpoint() throws SQLException {
        return people.latestCheckpoint(tx, w.end());
    }

    List<FlagChange> flagChanges() throws SQLException {
        return people.flagChanges(tx, w.from(), w.to());
    }

    // operations

    /** Now, whatever the period. */
    RuleCount alertRules() throws SQLException {
        return operations.alertRules(tx);
    }

    List<SeverityAlerts> alertsBySeverity() throws SQLException {
        return operations.alertsBySeverity(tx, w.from(), w.to());
    }

    List<RuleFirings> firingsByRule() throws SQLException {
        return operations.firingsByRule(tx, w.from(), w.to());
    }

    /** Up to the window's end; read once: the operations and the availability section use it. */
    Availability availability() throws SQLException {
        if (availability == null) {
            availability = operations.availability(tx, w.from(), w.end());
        }
        return availability;
    }

    /** {@code check}'s DOWN spells overlapping the period, up to the window's end. */
    List<Incident> incidents(String check) throws SQLException {
        return operations.incidents(tx, check, w.from(), w.end());
    }

    BackupTotals backupTotals() throws SQLException {
        return operations.backupTotals(tx, w.from(), w.to());
    }

    List<Backup> backups() throws SQLException {
        return operations.backups(tx, w.from(), w.to());
    }

    RestoreTotals restoreTotals() throws SQLException {
        return operations.restoreTotals(tx, w.from(), w.to());
    }

    List<RestoreTest> restoreTests() throws SQLException {
        return operations.restoreTests(tx, w.from(), w.to());
    }

    /** Up to the window's end. */
    BigDecimal longestUnprovenDays() throws SQLException {
        return operations.longestUnprovenDays(tx, w.from(), w.end());
    }
}
