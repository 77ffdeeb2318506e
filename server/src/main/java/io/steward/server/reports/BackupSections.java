package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.cells;
import static io.steward.server.reports.ReportParts.concat;
import static io.steward.server.reports.ReportParts.figure;
import static io.steward.server.reports.ReportParts.number;
import static io.steward.server.reports.ReportParts.percent;

import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
import io.steward.server.reports.OperationsRepository.BackupTotals;
import io.steward.server.reports.OperationsRepository.RestoreTotals;
import java.sql.SQLException;
import java.util.List;

/**
 * Information backup (ISO 27001 A.8.13, and recovery in SOC 2 A1): the backups made in the period,
 * the restore tests that proved them, and the longest time no backup was proven.
 */
final class BackupSections {
    private BackupSections() {}

    /** The backups and restore tests on their own, as ISO 27001 A.8.13 asks. */
    static Section backups(Evidence e, String id, String title) throws SQLException {
        BackupTotals b = e.backupTotals();
        return new Section(
                id,
                title,
                "Backups of the whole database, each proven by restoring it into a scratch database and"
                        + " comparing every table's rows and checksum.",
                concat(backupFigures(b), restoreFigures(e)),
                List.of(backupTable(e), restoreTable(e)));
    }

    /** Restore drills and how long recovery took; the longest time nothing was proven. */
    static List<Figure> restoreFigures(Evidence e) throws SQLException {
        RestoreTotals r = e.restoreTotals();
        return List.of(
                figure(
                        "restores.drills",
                        "Restore drills run",
                        r.drills(),
                        "drills",
                        "restore_tests: trigger drill (the schedule), started in the period"),
                figure(
                        "restores.drills.failed",
                        "Restore drills failed",
                        r.drillsFailed(),
                        "drills",
                        "restore_tests: trigger drill, verdict failed"),
                figure(
                        "restores.duration.median",
                        "Median restore duration (measured recovery time)",
                        r.medianSeconds(),
                        "seconds",
                        "restore_tests: duration_ms of restore tests started in the period"),
                figure(
                        "restores.duration.max",
                        "Longest restore duration",
                        r.longestSeconds(),
                        "seconds",
                        "restore_tests: duration_ms of restore tests started in the period"),
                figure(
                        "restores.unproven.longest",
                        "Longest time no backup was proven by a restore",
                        e.longestUnprovenDays(),
                        "days",
                        "restore_proofs: from one passed restore test of the then newest backup (or the first"
                                + " backup) to the next, or to the end of the period, for stretches overlapping the"
                                + " period"));
    }

    static Table restoreTable(Evidence e) throws SQLException {
        return new Table(
                "restore-tests",
                "Restore tests in the period",
                List.of("Started", "Trigger", "Data as of (recovery point)", "Seconds", "Verdict", "Reason"),
                e.restoreTests().stream()
                        .map(t -> cells(
                                t.started(),
                                t.trigger(),
                                t.recoveryPoint(),
                                number(t.seconds()),
                                t.verdict(),
                                t.reason()))
                        .toList(),
                "restore_tests");
    }

    static Table backupTable(Evidence e) throws SQLException {
        return new Table(
                "backups",
                "Backups in the period",
                List.of("Started", "Trigger", "Status", "Bytes", "Restore test", "Reason"),
                e.backups().stream()
                        .map(b -> cells(b.started(), b.trigger(), b.status(), b.bytes(), b.restoreTest(), b.reason()))
                        .toList(),
                "backups");
    }

    static List<Figure> backupFigures(BackupTotals b) {
        return List.of(
                figure(
                        "backups.completed",
                        "Backups completed",
                        b.completed(),
                        "backups",
                        "backups: started in the period, status completed"),
                figure(
                        "backups.failed",
                        "Backups failed",
                        b.failed(),
                        "backups",
                        "backups: started in the period, status failed"),
                figure(
                        "backups.success",
                        "Backup success rate",
                        percent(b.completed(), b.completed() + b.failed()),
                        "%",
                        "completed / (completed + failed)"),
                figure(
                        "restores.passed",
                        "Restore tests passed",
                        b.passed(),
                        "backups",
                        "backups: restored into a scratch database, every table matched"),
                figure(
                        "restores.failed",
                        "Restore tests failed",
                        b.failedTests(),
                        "backups",
                        "backups: the restore test found a difference or a damaged archive"),
                figure(
                        "restores.untested",
                        "Completed backups not restore-tested",
                        b.untested(),
                        "backups",
                        "backups: completed, never verified"));
    }
}
