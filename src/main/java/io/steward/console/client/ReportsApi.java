package io.steward.console.client;

import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Endpoint;
import io.steward.server.api.ReportRequest;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Compliance reports over a period — generated once on the server as a snapshot, then saved from
 * that snapshot in any form — and the auditor's evidence pack.
 */
public final class ReportsApi {
    private final Transport transport;

    ReportsApi(Transport transport) {
        this.transport = transport;
    }

    /**
     * Generates the report once, as a snapshot on the server, and answers its canonical JSON form:
     * its figures, the SHA-256 of its evidence, and its generation, whose id is the snapshot's.
     */
    public ComplianceReport generate(String type, LocalDate from, LocalDate to, Cancellation cancellation) {
        return transport.send(ApiCall.of(Endpoint.REPORT_GENERATE, ComplianceReport.class, type)
                .body(new ReportRequest(from.toString(), to.toString()))
                .slow()
                .cancellable(cancellation));
    }

    /**
     * Saves the snapshot {@code id} in {@code format} (json, csv, pdf) to {@code target}, exactly as
     * it was generated: written beside it first and moved into place once complete. Returns its
     * size in bytes.
     */
    public long save(UUID id, String format, Path target, Cancellation cancellation, LongConsumer received) {
        return transport.download(
                ApiCall.bare(Endpoint.REPORT_SNAPSHOT, id)
                        .query("format", format)
                        .cancellable(cancellation),
                target,
                received);
    }

    /**
     * Saves the auditor's evidence pack for the period (a zip: the three reports, the signed
     * checkpoints, restore tests, migrations, the public key, a signed manifest) to {@code target};
     * returns its size.
     */
    public long saveEvidencePack(
            LocalDate from, LocalDate to, Path target, Cancellation cancellation, LongConsumer received) {
        return transport.download(
                ApiCall.bare(Endpoint.EVIDENCE_PACK)
                        .query("from", from)
                        .query("to", to)
                        .cancellable(cancellation),
                target,
                received);
    }
}
