package io.steward.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A compliance report (SOC 2, GDPR, ISO 27001) computed from what the system recorded in a period.
 * Every figure and table names its {@code evidence}: where in the database it comes from.
 * {@code sha256} is the SHA-256 of this report's canonical JSON (keys sorted, no spaces) with the
 * {@code sha256} field left out; the CSV and PDF forms carry the same value.
 */
public record ComplianceReport(
        String type,
        String title,
        Period period,
        Instant generatedAt,
        GeneratedBy generatedBy,
        String serverVersion,
        List<Section> sections,
        @Nullable String sha256) {

    /** The days covered, both inclusive, in UTC. */
    public record Period(LocalDate from, LocalDate to) {}

    /** The staff member who generated the report. */
    public record GeneratedBy(UUID id, String email, String name, String role) {}

    /** One criterion or control: its figures and tables. */
    public record Section(String id, String title, String description, List<Figure> figures, List<Table> tables) {}

    /** One figure; {@code value} is a number, text, a yes/no, or null when there is nothing to measure. */
    public record Figure(String key, String label, @Nullable Object value, String unit, String evidence) {
        /** The unit as a person reads it after the value: "1 request", "3 requests". */
        public String unitToShow() {
            boolean one = value instanceof Number n && n.doubleValue() == 1.0;
            if (!one || unit.contains(" ")) {
                return unit;
            }
            return unit.endsWith("ies")
                    ? unit.substring(0, unit.length() - 3) + "y"
                    : unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        }
    }

    /** Rows of evidence, e.g. each role change with who and when. */
    public record Table(
            String key, String title, List<String> columns, List<List<@Nullable Object>> rows, String evidence) {}

    public ComplianceReport withSha256(String sha256) {
        return new ComplianceReport(type, title, period, generatedAt, generatedBy, serverVersion, sections, sha256);
    }
}
