package io.steward.server.reports;

import io.steward.server.api.ComplianceReport.Coverage;
import io.steward.server.api.ComplianceReport.CoverageStatus;
import io.steward.server.api.ComplianceReport.Figure;
import io.steward.server.api.ComplianceReport.Section;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which part of a report's period its evidence covers, and the report's sections made to say so:
 * when nothing of the period is covered, no figure about it is given — "no data" with the reason,
 * never a 0, an intact chain or a full uptime that nothing recorded.
 */
final class ReportCoverage {
    /**
     * What is not evidence of any period, and so is shown whatever the period: whether the
     * server's role could change the audit trail, and the register of processing activities.
     */
    private static final Set<String> NOT_ABOUT_THE_PERIOD = Set.of("database.historyProtected", "activities");

    private static final Set<String> TABLES_NOT_ABOUT_THE_PERIOD = Set.of("processing");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern(
                    "d MMM yyyy HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private ReportCoverage() {}

    /** The coverage of {@code window} by evidence starting at {@code start} (null: none recorded). */
    static Coverage of(Evidence.Window window, @Nullable Instant start) {
        long period = seconds(window.from(), window.to());
        boolean open = window.end().isBefore(window.to());
        Instant from = start == null || start.isBefore(window.from()) ? window.from() : start;
        if (start == null || !from.isBefore(window.end())) {
            return new Coverage(CoverageStatus.NONE, start, null, null, 0, period, noneNote(window, start));
        }
        long covered = seconds(from, window.end());
        var note = new StringBuilder();
        if (from.isAfter(window.from())) {
            note.append("Evidence starts ").append(MINUTE.format(start)).append(": the period before is not covered.");
        } else {
            note.append("The evidence starts ")
                    .append(MINUTE.format(start))
                    .append(", before the period")
                    .append(open ? "." : ": the whole period is covered.");
        }
        if (open) {
            note.append(" The period is not over: it is covered up to ")
                    .append(MINUTE.format(window.end()))
                    .append(", when the report was generated.");
        }
        return new Coverage(
                covered == period ? CoverageStatus.FULL : CoverageStatus.PARTIAL,
                start,
                from,
                window.end(),
                covered,
                period,
                note.toString());
    }

    private static String noneNote(Evidence.Window window, @Nullable Instant start) {
        return switch (why(window, start)) {
            case NOTHING_RECORDED ->
                "No evidence has been recorded yet: nothing of the period is covered, and no figure about it is given.";
            case NOT_STARTED ->
                "The period has not started: nothing of it is covered, and no figure about it is given.";
            case BEFORE_THE_EVIDENCE ->
                "Evidence starts " + MINUTE.format(java.util.Objects.requireNonNull(start))
                        + ", after the period: nothing of it is covered, and no figure about it is given.";
        };
    }

    /** Why nothing of a period is covered. */
    private enum Uncovered {
        NOTHING_RECORDED,
        NOT_STARTED,
        BEFORE_THE_EVIDENCE
    }

    private static Uncovered why(Evidence.Window window, @Nullable Instant start) {
        if (start == null) {
            return Uncovered.NOTHING_RECORDED;
        }
        return window.end().isAfter(window.from()) ? Uncovered.BEFORE_THE_EVIDENCE : Uncovered.NOT_STARTED;
    }

    /**
     * {@code sections} as the coverage of {@code window} lets them say: for a period not covered at
     * all, every figure and table about it without data, and the reason.
     */
    static List<Section> apply(Coverage coverage, Evidence.Window window, List<Section> sections) {
        if (coverage.status() != CoverageStatus.NONE) {
            return sections;
        }
        Instant start = coverage.evidenceStartsAt();
        String reason = switch (why(window, start)) {
            case NOTHING_RECORDED -> "not covered: no evidence recorded yet";
            case NOT_STARTED -> "not covered: the period has not started";
            case BEFORE_THE_EVIDENCE ->
                "not covered: the evidence starts " + MINUTE.format(java.util.Objects.requireNonNull(start))
                        + ", after the period";
        };
        return sections.stream()
                .map(s -> new Section(
                        s.id(),
                        s.title(),
                        s.description(),
                        s.figures().stream()
                                .map(f -> NOT_ABOUT_THE_PERIOD.contains(f.key()) ? f : f.withoutData(reason))
                                .toList(),
                        s.tables().stream()
                                .map(t -> TABLES_NOT_ABOUT_THE_PERIOD.contains(t.key()) ? t : t.withoutData(reason))
                                .toList()))
                .toList();
    }

    /** The uptime figure when no instance observed the checks at all in the covered time. */
    static Figure unobserved(Figure uptime) {
        return uptime.withoutData("no instance observed the health checks in the period");
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }
}
