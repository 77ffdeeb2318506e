package io.steward.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A compliance report (SOC 2, GDPR, ISO 27001) computed from what the system recorded in a period.
 * Every figure and table names its {@code evidence}: where in the database it comes from.
 *
 * <p>{@code sha256} identifies the evidence: the SHA-256 of this report's canonical JSON (keys
 * sorted, no spaces) with {@code sha256} and {@code generation} left out, so the same period with
 * unchanged records gives the same value whenever it is generated. {@code generation} says who
 * generated this copy, when, and with which server and key; it is signed beside the digest. The
 * CSV and PDF forms carry the same digest and generation.
 */
public record ComplianceReport(
        String type,
        String title,
        Period period,
        List<Section> sections,
        @Nullable String sha256,
        @Nullable Generation generation) {

    /** The days covered, both inclusive, in UTC. */
    public record Period(LocalDate from, LocalDate to) {}

    /** The staff member who generated the report. */
    public record GeneratedBy(UUID id, String email, String name, String role) {}

    /**
     * One generation of the report: its id, when, by whom, on which server version, the key its
     * {@code signature} is made with (Ed25519, base64, over the canonical JSON of {@code {sha256,
     * generation}} with the signature left out), and the audit chain's check made for it.
     */
    public record Generation(
            UUID id,
            Instant generatedAt,
            GeneratedBy generatedBy,
            String serverVersion,
            String keyId,
            @Nullable ChainCheck auditChainCheck,
            @Nullable String signature) {

        public Generation signed(String value) {
            return new Generation(id, generatedAt, generatedBy, serverVersion, keyId, auditChainCheck, value);
        }
    }

    /**
     * The check of the audit chain made when the report was generated: how far it walked ({@code
     * scope}: {@code full} or {@code since-checkpoint}), how many entries, through which one.
     */
    public record ChainCheck(String scope, long checked, long throughSeq) {}

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

    /** This report with its digest and its signed generation. */
    public ComplianceReport with(String digest, Generation signed) {
        return new ComplianceReport(type, title, period, sections, digest, signed);
    }
}
