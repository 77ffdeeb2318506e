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
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The Compliance reports screen: which report, which period (quarter presets or chosen days), its
 * figures shown in the window, and saving it as PDF, CSV or JSON. Holds no JavaFX nodes.
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
    private final StringProperty signature = new SimpleStringProperty("");
    private final StringProperty saved = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable Path> savedFile = new SimpleObjectProperty<>();
    private final LongOperation operation;

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

    /** Asks the server for the report and shows its figures. */
    public void preview() {
        Request request = request();
        if (request != null) {
            operation.run(
                    "Computing the " + type.get() + " report from the server's records…",
                    cancellation -> session.api()
                            .reports()
                            .report(request.type().id, request.from(), request.to(), cancellation),
                    this::show,
                    this::fail);
        }
    }

    /** Stops the report being computed or saved; nothing is saved. */
    public void cancel() {
        operation.cancel();
    }

    private void show(ComplianceReport report) {
        ComplianceReport.Generation generation = report.generation();
        heading.set(report.title() + " — " + DAY.format(report.period().from()) + " to "
                + DAY.format(report.period().to())
                + (generation == null
                        ? ""
                        : ", generated by " + generation.generatedBy().name()));
        signature.set("SHA-256 of the JSON form: " + report.sha256());
        lines.setAll(lines(report));
    }

    static List<Line> lines(ComplianceReport report) {
        return report.sections().stream()
                .flatMap(section -> section.figures().stream()
                        .map(f -> new Line(section.title(), f.label(), value(f), f.evidence())))
                .toList();
    }

    static String value(ComplianceReport.Figure figure) {
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

    /** Saves the report in {@code format} (pdf, csv, json) to {@code file}. */
    public void save(String format, Path file) {
        Request request = request();
        if (request == null) {
            return;
        }
        download(
                "Writing the " + type.get() + " report as " + format.toUpperCase(Locale.ROOT) + "…",
                () -> "",
                file,
                cancellation -> session.api()
                        .reports()
                        .save(
                                request.type().id,
                                request.from(),
                                request.to(),
                                format,
                                file,
                                cancellation,
                                operation.bytesReceived()));
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
        var keyId = new java.util.concurrent.atomic.AtomicReference<String>("");
        download(
                "Building the evidence pack: three reports, the signed checkpoints and the restore tests…",
                () -> " Signed with the server's audit key " + keyId.get() + ". An auditor checks it offline with:"
                        + " steward-server verify-evidence " + file.getFileName()
                        + " --public-key KEY.pem (the server's key, GET /api/v1/audit/public-key).",
                file,
                cancellation -> {
                    keyId.set(session.api().audit().keyId());
                    return session.api()
                            .reports()
                            .saveEvidencePack(
                                    request.from(), request.to(), file, cancellation, operation.bytesReceived());
                });
    }

    /** Saves what {@code work} downloads to {@code file}, saying {@code afterwards} when saved. */
    private void download(
            String progress,
            java.util.function.Supplier<String> afterwards,
            Path file,
            java.util.function.Function<io.steward.console.client.Cancellation, Long> work) {
        saved.set("");
        savedFile.set(null);
        operation.run(
                progress,
                work,
                bytes -> {
                    saved.set("Saved " + file.getFileName() + " (" + String.format(Locale.ENGLISH, "%,d", bytes)
                            + " bytes) in " + file.toAbsolutePath().getParent() + "." + afterwards.get());
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
