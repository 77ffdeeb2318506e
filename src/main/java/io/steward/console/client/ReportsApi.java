package io.steward.console.client;

import io.steward.server.api.ComplianceReport;
import io.steward.server.api.Endpoint;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.LongConsumer;

/** Compliance reports over a period, and the auditor's evidence pack. */
public final class ReportsApi {
    private final Transport transport;

    ReportsApi(Transport transport) {
        this.transport = transport;
    }

    /** A report's canonical JSON form, for showing its figures. */
    public ComplianceReport report(String type, LocalDate from, LocalDate to, Cancellation cancellation) {
        return transport.send(period(ApiCall.of(Endpoint.REPORT, ComplianceReport.class, type), from, to)
                .query("format", "json")
                .slow()
                .cancellable(cancellation));
    }

    /**
     * Saves a report in {@code format} (json, csv, pdf) to {@code target}: written beside it first
     * and moved into place once complete. Returns its size in bytes.
     */
    public long save(
            String type,
            LocalDate from,
            LocalDate to,
            String format,
            Path target,
            Cancellation cancellation,
            LongConsumer received) {
        return transport.download(
                period(ApiCall.bare(Endpoint.REPORT, type), from, to)
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
                period(ApiCall.bare(Endpoint.EVIDENCE_PACK), from, to).cancellable(cancellation), target, received);
    }

    private static <T> ApiCall<T> period(ApiCall<T> call, LocalDate from, LocalDate to) {
        return call.query("from", from).query("to", to);
    }
}
