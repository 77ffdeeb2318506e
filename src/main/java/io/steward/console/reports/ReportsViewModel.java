package io.steward.console.reports;

import io.steward.console.session.LongOperation;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.ComplianceReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The Compliance reports screen: which report, which period (quarter presets or chosen days), the
 * report generated once on the server and shown in the window with its coverage and the SHA-256 of
 * its evidence, and saving that same report as PDF, CSV or JSON. Holds no JavaFX nodes.
 */
public final class ReportsViewModel {
    private static final DateTimeFormatter DAY = Dates.DAY;

    /** The reports the server makes. */
    public enum Type {
        SOC2("soc2", "SOC 2"),
        GDPR("gdpr", "GDPR"),
        ISO27001("iso27001", "ISO 27001");

        final String id;
        private final String label;

        Type(String id, String label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Periods offered at one click; Custom leaves the days to the person. */
    public enum Preset {
        LAST_QUARTER("Last full quarter"),
        THIS_QUARTER("This quarter so far"),
        LAST_12_MONTHS("Last 12 months"),
        CUSTOM("Custom…");

        private final String label;

        Preset(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One line of the preview: a figure with its section and evidence. */
    public record Line(String section, String figure, String value, String evidence) {}

    private final Session session;
    private final Clock clock;
    private final ObjectProperty<Type> type = new SimpleObjectProperty<>(Type.SOC2);
    private final ObjectProperty<Preset> preset = new SimpleObjectProperty<>(Preset.LAST_QUARTER);
    private final ObjectProperty<@Nullable LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable LocalDate> to = new SimpleObjectProperty<>();
    private final ObservableList<Line> lines = FXCollections.observableArrayList();
    private final StringProperty heading = new SimpleStringProperty("");
    private final StringProperty coverage = new SimpleStringProperty("");
    private final BooleanProperty coverageGap = new SimpleBooleanProperty(false);
    private final StringProperty signature = new SimpleStringProperty("");
    private final StringProperty saved = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable Path> savedFile = new SimpleObjectProperty<>();
    private final LongOperation operation;
    /** The report shown, and what it was asked for as; every form saved comes from it. */
    private @Nullable Shown shown;

    public ReportsViewModel(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.operation = new LongOperation(session.executor());
        preset.subscribe(this::applyPreset);
    }

    private void applyPreset(Preset chosen) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate quarter = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
        switch (chosen) {
            case LAST_QUARTER -> period(quarter.minusMonths(3), quarter.minusDays(1));
            case THIS_QUARTER -> period(quarter, today);
            case LAST_12_MONTHS -> period(today.minusYears(1).plusDays(1), today);
            case CUSTOM -> {
                // the days stay as they are, for the person to change
            }
        }
    }

    private void period(LocalDate start, LocalDate end) {
        from.set(start);
        to.set(end);
    }

    /** The period's problem, or empty when it can be asked for. */
    public String periodProblem() {
        LocalDate start = from.get();
        LocalDate end = to.get();
        if (start == null || end == null) {
            return "Choose the first and the last day of the period.";
        }
        return start.isAfter(end) ? "The period's first day is after its last day." : "";
    }

    /** What is asked of the server: a report and its days, checked. */
    private record Request(Type type, LocalDate from, LocalDate to) {}

    /** A report generated once on the server (a snapshot), and the request it answered. */
    private record Shown(Request request, ComplianceReport report) {
        UUID snapshot() {
            return Objects.requireNonNull(report.generation(), "a generated report has its generation")
                    .id();
        }
    }

    /** A form saved, the report it is a form of, and what to add when saying so. */
    private record Saved(@Nullable Shown report, long bytes, String afterwards) {}

    /** The request the form describes; or null, with the problem shown, when the period is not usable. */
    private @Nullable Request request() {
        String wrong = periodProblem();
        LocalDate start = from.get();
        LocalDate end = to.get();
        if (!wrong.isEmpty() || start == null || end == null) {
            problem.set(wrong);
            return null;
        }
        problem.set("");
        return new Request(type.get(), start, end);
    }

    /**
     * Has the server generate the report once, as a snapshot, and shows its figures, its coverage
     * and the SHA-256 of its evidence; every form saved afterwards is that snapshot's.
     */
    public void preview() {
        Request request = request();
        if (request != null) {
            operation.run(
                    "Computing the " + type.get() + " report from the server's records…",
                    cancellation -> generate(request, cancellation),
                    this::show,
                    this::fail);
        }
    }

    private Shown generate(Request request, io.steward.console.client.Cancellation cancellation) {
        return new Shown(
                request,
                session.api().reports().generate(request.type().id, request.from(), request.to(), cancellation));
    }

    /** Stops the report being computed or saved; nothing is saved. */
    public void cancel() {
        operation.cancel();
    }

    private void show(Shown report) {
        shown = report;
        ComplianceReport r = report.report();
        ComplianceReport.Generation generation = r.generation();
        heading.set(r.title() + " — " + DAY.format(r.period().from()) + " to "
                + DAY.format(r.period().to())
                + (generation == null
                        ? ""
                        : ", generated by " + generation.generatedBy().name() + " on "
                                + Dates.MINUTE.format(generation.generatedAt().atZone(ZoneOffset.UTC)) + " UTC"));
        coverage.set(coverage(r.coverage(), r.period()));
        coverageGap.set(r.coverage().status() != ComplianceReport.CoverageStatus.FULL);
        signature.set(
                "SHA-256 of the evidence: " + r.sha256() + (generation == null ? "" : " — report " + generation.id()));
        lines.setAll(lines(r));
    }

    /** The coverage in words, e.g. "Evidence starts 3 Dec 2026: the period before is not covered." */
    static String coverage(ComplianceReport.Coverage coverage, ComplianceReport.Period period) {
        var starts = coverage.evidenceStartsAt();
        var until = coverage.coveredUntil();
        String start = starts == null ? "" : DAY.format(starts.atZone(ZoneOffset.UTC));
        return switch (coverage.status()) {
            case FULL -> "The whole period is covered: the evidence starts " + start + ".";
            case NONE ->
                starts == null
                        ? "Nothing has been recorded yet: no figure is given for this period."
                        : starts.isBefore(period.from()
                                        .atStartOfDay(ZoneOffset.UTC)
                                        .toInstant())
                                ? "The period has not started: no figure is given for it."
                                : "Evidence starts " + start + ", after this period: nothing in it is covered, so"
                                        + " its figures say \"no data\".";
            case PARTIAL -> {
                var words = new StringBuilder();
                if (starts != null
                        && starts.isAfter(
                                period.from().atStartOfDay(ZoneOffset.UTC).toInstant())) {
                    words.append("Evidence starts ").append(start).append(": the period before is not covered.");
                }
                if (until != null
                        && until.isBefore(period.to()
                                .plusDays(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant())) {
                    words.append(words.isEmpty() ? "" : " ")
                            .append("The period is not over: it is covered up to ")
                            .append(Dates.MINUTE.format(until.atZone(ZoneOffset.UTC)))
                            .append(" UTC.");
                }
                yield words.toString();
            }
        };
    }

    static List<Line> lines(ComplianceReport report) {
        return report.sections().stream()
                .flatMap(section -> section.figures().stream()
                        .map(f -> new Line(
                                section.title(),
                                f.label(),
                                value(f),
                                f.noData() == null ? f.evidence() : f.noData() + " (" + f.evidence() + ")")))
                .toList();
    }

    static String value(ComplianceReport.Figure figure) {
        if (figure.noData() != null) {
            return "no data";
        }
        Object value = figure.value();
        String text = switch (value) {
            case null -> "—";
            case Boolean b -> b ? "yes" : "no";
            case Double d when d == Math.rint(d) -> String.format(Locale.ENGLISH, "%,d", d.longValue());
            case Double d -> String.format(Locale.ENGLISH, "%,.3f", d).replaceAll("0+$", "");
            case Number n -> String.format(Locale.ENGLISH, "%,d", n.longValue());
            default -> value.toString();
        };
        return value == null || figure.unit().isEmpty() ? text : text + " " + figure.unitToShow();
    }

    /** The name offered in the save dialog, e.g. {@code steward-soc2-2026-07-01-to-2026-09-30.pdf}. */
    public String suggestedName(String format) {
        return "steward-" + type.get().id + "-" + from.get() + "-to-" + to.get() + "." + format;
    }

    /**
     * Saves the report in {@code format} (pdf, csv, json) to {@code file}: the one shown, when it is
     * the report and period chosen; else it is generated first, and shown, so that what is saved is
     * always what the screen shows, with the same SHA-256.
     */
    public void save(String format, Path file) {
        Request request = request();
        if (request == null) {
            return;
        }
        Shown current = shown;
        Shown from = current != null && current.request().equals(request) ? current : null;
        download(
                "Writing the " + type.get() + " report as " + format.toUpperCase(Locale.ROOT) + "…",
                file,
                cancellation -> {
                    Shown report = from != null ? from : generate(request, cancellation);
                    long bytes = session.api()
                            .reports()
                            .save(report.snapshot(), format, file, cancellation, operation.bytesReceived());
                    return new Saved(
                            report,
                            bytes,
                            " It is the report shown, SHA-256 of the evidence "
                                    + report.report().sha256() + ".");
                });
    }

    /** The name offered for the evidence pack, e.g. {@code steward-evidence-2026-07-01-to-2026-09-30.zip}. */
    public String suggestedPackName() {
        return "steward-evidence-" + from.get() + "-to-" + to.get() + ".zip";
    }

    /**
     * Saves the evidence pack of the period (all three reports, whichever is chosen) to {@code
     * file}, for an auditor to check with {@code steward-server verify-evidence}.
     */
    public void saveEvidencePack(Path file) {
        Request request = request();
        if (request == null) {
            return;
        }
        download(
                "Building the evidence pack: three reports, the signed checkpoints and the restore tests…",
                file,
                cancellation -> {
                    String keyId = session.api().audit().keyId();
                    long bytes = session.api()
                            .reports()
                            .saveEvidencePack(
                                    request.from(), request.to(), file, cancellation, operation.bytesReceived());
                    return new Saved(
                            null,
                            bytes,
                            " Signed with the server's audit key " + keyId + ". An auditor checks it offline with:"
                                    + " steward-server verify-evidence " + file.getFileName()
                                    + " --public-key KEY.pem (the server's key, GET /api/v1/audit/public-key).");
                });
    }

    /** Saves what {@code work} downloads to {@code file}, showing the report it saved and saying where. */
    private void download(
            String progress,
            Path file,
            java.util.function.Function<io.steward.console.client.Cancellation, Saved> work) {
        saved.set("");
        savedFile.set(null);
        operation.run(
                progress,
                work,
                done -> {
                    Shown report = done.report();
                    if (report != null && report != shown) {
                        show(report);
                    }
                    saved.set("Saved " + file.getFileName() + " (" + String.format(Locale.ENGLISH, "%,d", done.bytes())
                            + " bytes) in " + file.toAbsolutePath().getParent() + "." + done.afterwards());
                    savedFile.set(file.toAbsolutePath());
                },
                this::fail);
    }

    private void fail(Throwable failure) {
        problem.set(Text.problem(failure));
    }

    public ObjectProperty<Type> typeProperty() {
        return type;
    }

    public ObjectProperty<Preset> presetProperty() {
        return preset;
    }

    public ObjectProperty<@Nullable LocalDate> fromProperty() {
        return from;
    }

    public ObjectProperty<@Nullable LocalDate> toProperty() {
        return to;
    }

    public ObservableList<Line> lines() {
        return lines;
    }

    public StringProperty headingProperty() {
        return heading;
    }

    /** Which part of the period the report's evidence covers, in words. */
    public StringProperty coverageProperty() {
        return coverage;
    }

    /** Whether part of the period is not covered (or the period not over). */
    public BooleanProperty coverageGapProperty() {
        return coverageGap;
    }

    public StringProperty signatureProperty() {
        return signature;
    }

    public StringProperty progressProperty() {
        return operation.progressProperty();
    }

    /** The file saved last, for showing its folder; null until one is saved. */
    public ObjectProperty<@Nullable Path> savedFileProperty() {
        return savedFile;
    }

    public StringProperty savedProperty() {
        return saved;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public BooleanProperty busyProperty() {
        return operation.runningProperty();
    }
}
