package io.steward.server.reports;

import static io.steward.server.reports.ReportParts.cells;
import static io.steward.server.reports.ReportParts.figure;
import static io.steward.server.reports.ReportParts.number;
import static io.steward.server.reports.ReportParts.percent;

import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import io.steward.server.api.ComplianceReport.Table;
import io.steward.server.reports.OperationsRepository.Availability;
import io.steward.server.reports.OperationsRepository.BackupTotals;
import io.steward.server.reports.OperationsRepository.CheckAvailability;
import io.steward.server.reports.OperationsRepository.RuleCount;
import io.steward.server.reports.OperationsRepository.SeverityAlerts;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * System operations and availability (SOC 2 CC7 and A1, ISO 27001 A.8.16): alerts fired and
 * resolved, and the time the health checks recorded each status.
 */
final class OperationsSections {
    private static final String HEALTH_OVERALL = "overall";

    private OperationsSections() {}

    /** Alert rules, the alerts fired and resolved in the period, and the overall status's incidents. */
    static Section operations(Evidence e, String id, String title) throws SQLException {
        RuleCount rules = e.alertRules();
        var severities = e.alertsBySeverity();
        long fired = severities.stream().mapToLong(SeverityAlerts::fired).sum();
        long resolved = severities.stream().mapToLong(SeverityAlerts::resolved).sum();
        var byRule = e.firingsByRule();
        long incidents = e.availability().checks().stream()
                .filter(c -> HEALTH_OVERALL.equals(c.check()))
                .mapToLong(CheckAvailability::incidents)
                .sum();
        return new Section(
                id,
                title,
                "Alert rules watch the live metrics; each alert's firing and resolution is recorded with"
                        + " its time. Health incidents are the periods the overall health status was DOWN.",
                List.of(
                        figure(
                                "alert.rules",
                                "Alert rules enabled",
                                rules.enabled(),
                                "of " + rules.total() + " rules",
                                "alert_rules: enabled, now"),
                        figure("alerts.fired", "Alerts fired", fired, "alerts", "alert_events: fired_at in the period"),
                        figure(
                                "alerts.resolved",
                                "Alerts resolved",
                                resolved,
                                "alerts",
                                "alert_events: resolved_at in the period"),
                        figure(
                                "health.incidents",
                                "Health incidents (overall status DOWN)",
                                incidents,
                                "incidents",
                                "health_history: changes of the overall status to DOWN in the period")),
                List.of(
                        new Table(
                                "alerts.severity",
                                "Alerts by severity",
                                List.of(
                                        "Severity",
                                        "Fired",
                                        "Resolved",
                                        "Mean minutes to resolve",
                                        "Median minutes to resolve"),
                                severities.stream()
                                        .map(s -> cells(
                                                s.severity(),
                                                s.fired(),
                                                s.resolved(),
                                                number(s.meanMinutes()),
                                                number(s.medianMinutes())))
                                        .toList(),
                                "alert_events joined with alert_rules"),
                        new Table(
                                "alerts.rules",
                                "Alerts fired per rule",
                                List.of("Rule", "Severity", "Fired", "Last fired"),
                                byRule.stream()
                                        .map(r -> cells(r.rule(), r.severity(), r.fired(), r.lastFired()))
                                        .toList(),
                                "alert_events joined with alert_rules")));
    }

    /** Uptime per health check, the incidents and recovery, and the backups and restores behind recovery. */
    static Section availability(Evidence e, String id, String title) throws SQLException {
        Availability availability = e.availability();
        var rows = new ArrayList<List<@Nullable Object>>();
        @Nullable Double uptime = null;
        @Nullable Long mttr = null;
        long incidents = 0;
        Evidence.Window w = e.window();
        long period = Math.max(0, Duration.between(w.from(), w.end()).toSeconds());
        long known = availability.observedSeconds();
        for (CheckAvailability c : availability.checks()) {
            long observed = c.observedSeconds();
            long down = c.downSeconds();
            @Nullable Double percent = percent(observed - down, observed);
            rows.add(cells(c.check(), percent, observed, down, c.incidents(), c.meanSecondsToRecover()));
            if (HEALTH_OVERALL.equals(c.check())) {
                uptime = percent;
                incidents = c.incidents();
                mttr = c.meanSecondsToRecover();
            }
        }
        var spells = e.incidents(HEALTH_OVERALL);
        BackupTotals b = e.backupTotals();
        Figure uptimeFigure = figure(
                "uptime",
                "Uptime (overall health not DOWN, of the time observed)",
                uptime,
                "%",
                "health_history: time in each recorded state of the overall status, within the period"
                        + " up to now and within health_coverage (time some instance was running its"
                        + " checks); a state lasts until the next different one");
        var figures = new ArrayList<Figure>(List.of(
                known == 0 ? ReportCoverage.unobserved(uptimeFigure) : uptimeFigure,
                figure(
                        "unknown",
                        "Time nobody observed (Steward stopped), not counted as up or down",
                        period - known,
                        "seconds",
                        "the period up to now outside every health_coverage stretch"),
                figure(
                        "incidents",
                        "Incidents",
                        incidents,
                        "incidents",
                        "health_history: overall status became DOWN in the period (a DOWN recorded again"
                                + " after a restart continues the same incident)"),
                figure(
                        "mttr",
                        "Mean time to recovery",
                        mttr,
                        "seconds",
                        "health_history: length of DOWN spells of the overall status that ended in the period")));
        figures.addAll(BackupSections.backupFigures(b));
        figures.addAll(BackupSections.restoreFigures(e));
        return new Section(
                id,
                title,
                "Availability as Steward's health checks recorded it, and whether the data could be"
                        + " recovered: backups made and proven by restoring them.",
                figures,
                List.of(
                        new Table(
                                "availability",
                                "Availability per health check",
                                List.of(
                                        "Check",
                                        "Uptime %",
                                        "Seconds observed",
                                        "Seconds DOWN",
                                        "Incidents",
                                        "Mean seconds to recover"),
                                rows,
                                "health_history"),
                        new Table(
                                "incidents",
                                "Incidents (overall status DOWN)",
                                List.of("Down at", "Up again at", "Seconds"),
                                spells.stream()
                                        .map(s -> cells(s.down(), s.up(), s.seconds()))
                                        .toList(),
                                "health_history: overall"),
                        BackupSections.backupTable(e),
                        BackupSections.restoreTable(e)));
    }
}
