package io.steward.console.backups;

import io.steward.console.session.LongOperation;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.Page;
import io.steward.server.api.RestoreDrillStatus;
import io.steward.server.api.RestoreTestView;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
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
 * The Backups screen: the backups with their state and restore-test verdict, "Back up now" and
 * "Verify" for admins (auditors look), and what went wrong with a failed one. Holds no JavaFX nodes.
 */
public final class BackupsViewModel {
    private static final DateTimeFormatter WHEN = Dates.MINUTE;
    private static final int LIST_SIZE = 100;

    private final Session session;
    private final Clock clock;
    private final ZoneId zone;
    private final ObservableList<BackupView> backups = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable BackupView> selected = new SimpleObjectProperty<>();
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty verdict = new SimpleStringProperty("");
    private final StringProperty drill = new SimpleStringProperty("");
    private final BooleanProperty drillWarning = new SimpleBooleanProperty(false);
    private final LongOperation operation;
    private final BooleanProperty canAct;
    private boolean loading;

    public BackupsViewModel(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.zone = clock.getZone();
        this.canAct = new SimpleBooleanProperty(session.role() == Role.ADMIN);
        this.operation = new LongOperation(session.executor());
    }

    /**
     * Loads the list; while a backup is being written it is looked at again every second, and
     * whenever any instance records a backup event (a restore test's verdict included) it is
     * loaded again.
     */
    public void start() {
        refresh();
        session.feed().onAudit(action -> {
            if (action.startsWith("backup.")) {
                refresh();
            }
        });
        session.feed().onSample(sample -> {
            if (!loading && backups.stream().anyMatch(b -> b.status() == BackupStatus.RUNNING)) {
                refresh();
            }
        });
    }

    public void refresh() {
        loading = true;
        session.executor().run(() -> session.api().backups().list(LIST_SIZE), this::show, this::showProblem);
        session.executor().run(() -> session.api().backups().drill(), this::showDrill, failure -> {
            drill.set("Restore drill: could not be loaded (" + Text.problem(failure) + ").");
            drillWarning.set(true);
        });
    }

    private void showDrill(RestoreDrillStatus status) {
        drill.set(drillText(status));
        drillWarning.set(unproven(status)
                || (status.lastDrill() != null && !status.lastDrill().verified()));
    }

    /** Past this many days without a proof the server's BackupNotProven alert fires. */
    static final double UNPROVEN_DAYS = 8;

    private static boolean unproven(RestoreDrillStatus status) {
        return status.unprovenDays() > UNPROVEN_DAYS;
    }

    /** The restore drill in three lines: its schedule, its last run, and the last proof. */
    String drillText(RestoreDrillStatus status) {
        var text = new StringBuilder("Restore drill: ");
        if (status.schedule() == null) {
            text.append("switched off (the server runs one on a schedule with --restore-drill 7d).");
        } else {
            text.append("every ").append(period(status.schedule()));
            Instant next = status.nextDueAt();
            if (next != null) {
                text.append(
                        next.isAfter(clock.instant().plusSeconds(60))
                                ? " · next due " + when(next)
                                : " · due now (the server looks every hour)");
            }
            text.append('.');
        }
        RestoreTestView last = status.lastDrill();
        text.append('\n');
        if (last == null) {
            text.append("No drill has run yet.");
        } else if (last.verified()) {
            text.append("Last drill ")
                    .append(when(last.startedAt()))
                    .append(": ✔ restored in ")
                    .append(seconds(last.durationMs()))
                    .append(", data as of ")
                    .append(when(last.recoveryPoint()))
                    .append(" (the recovery point).");
        } else {
            text.append("Last drill ")
                    .append(when(last.startedAt()))
                    .append(": ✖ FAILED: ")
                    .append(last.reason());
        }
        text.append('\n');
        if (unproven(status)) {
            text.append(String.format(
                    Locale.ENGLISH,
                    "⚠ No backup proven by a restore for %.0f days: the BackupNotProven alert is firing."
                            + " Verify a backup now.",
                    Math.floor(status.unprovenDays())));
        } else if (status.lastProvenAt() == null) {
            text.append("No backup has been proven by a restore yet.");
        } else {
            text.append("Last proven by a restore: ")
                    .append(ago(status.unprovenDays()))
                    .append('.');
        }
        return text.toString();
    }

    /** {@code 7d} → "7 days", {@code 24h} → "24 hours", {@code 30m} → "30 minutes". */
    static String period(String schedule) {
        String n = schedule.substring(0, schedule.length() - 1);
        String unit = switch (schedule.charAt(schedule.length() - 1)) {
            case 'd' -> "day";
            case 'h' -> "hour";
            default -> "minute";
        };
        return n.equals("1") ? unit : n + " " + unit + "s";
    }

    static String ago(double days) {
        if (days < 1.0 / 24) {
            return "less than an hour ago";
        }
        if (days < 1) {
            long hours = Math.round(days * 24);
            return hours + (hours == 1 ? " hour ago" : " hours ago");
        }
        long whole = (long) Math.floor(days);
        return whole + (whole == 1 ? " day ago" : " days ago");
    }

    private void show(Page<BackupView> page) {
        loading = false;
        problem.set("");
        @Nullable BackupView chosen = selected.get();
        backups.setAll(page.items());
        if (chosen != null) {
            backups.stream().filter(b -> b.id().equals(chosen.id())).findFirst().ifPresent(selected::set);
        }
        long running = page.items().stream()
                .filter(b -> b.status() == BackupStatus.RUNNING)
                .count();
        var last = page.items().stream()
                .filter(b -> b.status() == BackupStatus.COMPLETED)
                .findFirst();
        summary.set(
                page.items().isEmpty()
                        ? "No backups yet."
                        : running > 0
                                ? "A backup is being written…"
                                : last.map(b -> "Last completed backup: " + when(b.createdAt())
                                                + (b.verified()
                                                        ? ", restore-tested ✔"
                                                        : b.verifiedAt() == null
                                                                ? ", not restore-tested yet"
                                                                : ", restore test failed ✖"))
                                        .orElse("No completed backup."));
    }

    /** Starts a backup on the server; the list follows it until it is done. */
    public void backUpNow() {
        operation.run(
                "Starting a backup…",
                cancellation -> session.api().backups().start(),
                started -> {
                    verdict.set("Backup started at " + when(started.createdAt())
                            + "; it is listed below while it is written.");
                    refresh();
                },
                this::showProblem);
    }

    /** Restores the selected backup into a scratch database on the server and shows the verdict. */
    public void verifySelected() {
        @Nullable BackupView backup = selected.get();
        if (backup == null) {
            return;
        }
        verdict.set("");
        operation.run(
                "Restoring the backup of " + when(backup.createdAt())
                        + " into a scratch database and comparing every table… (a large database takes minutes)",
                "Stopped waiting. The server finishes the restore test and records its verdict in the list.",
                cancellation -> session.api().backups().verify(backup.id(), cancellation),
                result -> {
                    verdict.set(verdictText(result));
                    refresh();
                },
                this::showProblem);
    }

    static String verdictText(BackupVerification result) {
        if (result.verified()) {
            long rows = result.tables().stream()
                    .mapToLong(BackupVerification.TableCheck::rows)
                    .sum();
            return "✔ Restore test passed: " + result.tables().size() + " tables, "
                    + String.format(Locale.ENGLISH, "%,d", rows) + " rows restored and identical to the backup ("
                    + seconds(result.durationMs()) + ").";
        }
        return "✖ Restore test failed: " + result.reason();
    }

    /** What the selected backup is, and what went wrong with it if anything did. */
    public String details(@Nullable BackupView b) {
        if (b == null) {
            return "Select a backup to see what it holds.";
        }
        var text = new StringBuilder();
        switch (b.status()) {
            case FAILED ->
                text.append("✖ This backup failed: ").append(b.error()).append('.');
            case RUNNING -> text.append("This backup is being written.");
            case COMPLETED -> {
                text.append(b.fileName())
                        .append(" — ")
                        .append(size(b.sizeBytes()))
                        .append(", ")
                        .append(b.tables())
                        .append(" tables, ")
                        .append(String.format(Locale.ENGLISH, "%,d", b.rows() == null ? 0 : b.rows()))
                        .append(" rows");
                if (b.prunedAt() != null) {
                    text.append(". Its file was removed by retention on ")
                            .append(when(b.prunedAt()))
                            .append('.');
                } else if (b.verifiedAt() == null) {
                    text.append(". Not restore-tested yet: select Verify to prove it can be restored.");
                } else if (b.verified()) {
                    text.append(". Restore test passed on ")
                            .append(when(b.verifiedAt()))
                            .append('.');
                } else {
                    text.append(". ✖ Restore test failed on ")
                            .append(when(b.verifiedAt()))
                            .append(": ")
                            .append(b.verifyReason())
                            .append('.');
                }
            }
        }
        return text.toString();
    }

    public String when(@Nullable Instant at) {
        return at == null ? "—" : WHEN.format(at.atZone(zone));
    }

    static String size(@Nullable Long bytes) {
        if (bytes == null) {
            return "—";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ENGLISH, "%.0f kB", bytes / 1e3);
        }
        return String.format(Locale.ENGLISH, bytes < 10_000_000_000L ? "%.1f MB" : "%.0f MB", bytes / 1e6);
    }

    static String seconds(@Nullable Long millis) {
        if (millis == null) {
            return "—";
        }
        Duration d = Duration.ofMillis(millis);
        return d.toMinutes() > 0
                ? d.toMinutes() + " min " + d.toSecondsPart() + " s"
                : String.format(Locale.ENGLISH, "%.1f s", millis / 1000.0);
    }

    /** The restore-test column: passed, failed, not yet, or — for backups that did not complete. */
    public static String restoreTest(BackupView b) {
        if (b.status() != BackupStatus.COMPLETED) {
            return "—";
        }
        return b.verifiedAt() == null ? "not tested" : b.verified() ? "✔ passed" : "✖ failed";
    }

    private void showProblem(Throwable failure) {
        loading = false;
        problem.set(Text.problem(failure));
    }

    public ObservableList<BackupView> backups() {
        return backups;
    }

    public ObjectProperty<@Nullable BackupView> selectedProperty() {
        return selected;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty progressProperty() {
        return operation.progressProperty();
    }

    /** Stops waiting for the restore test under way. */
    public void cancel() {
        operation.cancel();
    }

    public StringProperty drillProperty() {
        return drill;
    }

    /** Whether the drill needs someone's attention: it failed, or nothing was proven for too long. */
    public BooleanProperty drillWarningProperty() {
        return drillWarning;
    }

    public StringProperty verdictProperty() {
        return verdict;
    }

    public BooleanProperty busyProperty() {
        return operation.runningProperty();
    }

    public BooleanProperty canActProperty() {
        return canAct;
    }
}
