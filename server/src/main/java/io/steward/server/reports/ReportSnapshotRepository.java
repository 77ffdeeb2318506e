package io.steward.server.reports;

import io.steward.server.api.ComplianceReport;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reports as generated ({@code report_snapshots}): each added once with its three forms, read
 * by id; the server's database role can neither change nor remove one.
 */
final class ReportSnapshotRepository {
    void insert(Tx tx, ReportSnapshot snapshot) throws SQLException {
        ComplianceReport report = snapshot.report();
        ComplianceReport.Generation generation = snapshot.generation();
        try (var ps = Statements.prepare(
                tx,
                "INSERT INTO report_snapshots (id, type, period_from, period_to, sha256, generated_at, generated_by,"
                        + " json, csv, pdf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                List.of(
                        snapshot.id(),
                        report.type(),
                        report.period().from(),
                        report.period().to(),
                        snapshot.sha256(),
                        Timestamp.from(generation.generatedAt()),
                        generation.generatedBy().id(),
                        snapshot.json(),
                        snapshot.csv(),
                        snapshot.pdf()))) {
            ps.executeUpdate();
        }
    }

    /** The snapshot {@code id} in {@code format} (json, csv or pdf); empty when there is none. */
    Optional<ReportSnapshot.Form> form(Tx tx, UUID id, String format) throws SQLException {
        String column = switch (format) {
            case "csv" -> "csv";
            case "pdf" -> "pdf";
            default -> "json";
        };
        return Statements.one(
                tx,
                "SELECT type, period_from, period_to, sha256, " + column + " FROM report_snapshots WHERE id = ?",
                List.of(id),
                rs -> new ReportSnapshot.Form(
                        id,
                        rs.getString(1),
                        new ComplianceReport.Period(
                                rs.getObject(2, java.time.LocalDate.class), rs.getObject(3, java.time.LocalDate.class)),
                        rs.getString(4),
                        column,
                        rs.getBytes(5)));
    }
}
