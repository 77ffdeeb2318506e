package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        Coverage coverage,
        List<Section> sections,
        @Nullable String sha256,
        @Nullable Generation generation) {

    /** The days covered, both inclusive, in UTC. */
    public record Period(LocalDate from, LocalDate to) {}

    /**
     * Which part of the period the evidence covers. The evidence starts at {@code
     * evidenceStartsAt}: the installation (its first schema migration), or the oldest audit entry
     * kept once retention has removed older ones; null when nothing was recorded yet. The covered
     * part runs from {@code coveredFrom} (the later of the period's start and the evidence's) to
     * {@code coveredUntil} (the period's end, or the generation for a period not over yet); both
     * null when nothing of the period is covered ({@code none}), and then every figure about the
     * period is null with its {@code noData} reason, never 0. {@code note} says it in words.
     */
    public record Coverage(
            CoverageStatus status,
            @Nullable Instant evidenceStartsAt,
            @Nullable Instant coveredFrom,
            @Nullable Instant coveredUntil,
            long coveredSeconds,
            long periodSeconds,
            String note) {}

    /** How much of a report's period its evidence covers; on the wire in lower case. */
    public enum CoverageStatus implements WireName {
        FULL,
        PARTIAL,
        NONE;
    }

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

    /**
     * One figure; {@code value} is a number, text, a yes/no, or null: when there is nothing to
     * measure, or when there is no data for it, which {@code noData} then says why (left out of the
     * JSON otherwise).
     */
    public record Figure(
            String key,
            String label,
            @Nullable Object value,
            String unit,
            String evidence,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            String noData) {
        public Figure(String key, String label, @Nullable Object value, String unit, String evidence) {
            this(key, label, value, unit, evidence, null);
        }

        /** This figure without a value, and why there is none. */
        public Figure withoutData(String reason) {
            return new Figure(key, label, null, unit, evidence, reason);
        }

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

    /**
     * Rows of evidence, e.g. each role change with who and when; with {@code noData} (left out of
     * the JSON otherwise) none, because there is no data, not because nothing happened.
     */
    public record Table(
            String key,
            String title,
            List<String> columns,
            List<List<@Nullable Object>> rows,
            String evidence,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            String noData) {
        public Table(
                String key, String title, List<String> columns, List<List<@Nullable Object>> rows, String evidence) {
            this(key, title, columns, rows, evidence, null);
        }

        /** This table without rows, and why there are none. */
        public Table withoutData(String reason) {
            return new Table(key, title, columns, List.of(), evidence, reason);
        }
    }

    /** This report with its digest and its signed generation. */
    public ComplianceReport with(String digest, Generation signed) {
        return new ComplianceReport(type, title, period, coverage, sections, digest, signed);
    }
}
