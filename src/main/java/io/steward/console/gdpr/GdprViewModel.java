package io.steward.console.gdpr;

import io.steward.console.client.GdprApi;
import io.steward.console.session.LongOperation;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.GdprWaitingFor;
import io.steward.server.api.Page;
import io.steward.server.api.UserDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import javafx.beans.binding.BooleanExpression;
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
 * The GDPR requests screen: the queue (state, type, overdue filters) with each request's days
 * left, and for the selected one the subject and only the steps its state allows — verify, extend
 * (with a reason), reject (with a reason), approve (an erasure, by an admin who did not verify it),
 * complete (an erasure only after typing the subject's e-mail). Holds no JavaFX nodes.
 */
public final class GdprViewModel {
    private static final int LIST_SIZE = 200;

    private final Session session;
    private final Clock clock;
    private final ObservableList<GdprRequestView> requests = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable GdprRequestView> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable UserDetail> subject = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty(GdprStatus.OPEN);
    private final StringProperty type = new SimpleStringProperty("");
    private final BooleanProperty overdueOnly = new SimpleBooleanProperty();
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty confirmation = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("Select a request to see it and its next steps.");
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty done = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final LongOperation export;
    private final BooleanExpression working;
    private final ObservableList<AuditEntry> timeline = FXCollections.observableArrayList();
    private @Nullable UUID picking;

    public GdprViewModel(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
        this.export = new LongOperation(session.executor());
        this.working = busy.or(export.runningProperty());
        selected.subscribe(this::select);
    }

    /**
     * Loads the queue, and again whenever the filters change or any instance records a step of a
     * request (someone else's included), so that nobody needs to refresh.
     */
    public void start() {
        session.navigator().follow("gdpr", this::pick).ifPresent(this::pick);
        status.subscribe((before, chosen) -> refresh());
        type.subscribe((before, chosen) -> refresh());
        overdueOnly.subscribe((before, chosen) -> refresh());
        refresh();
        session.feed().onAudit(action -> {
            if (action.startsWith("gdpr.")) {
                refresh();
            }
        });
    }

    /** Picks request {@code id} once it is listed (it may have just been recorded). */
    private void pick(UUID id) {
        picking = id;
        requests.stream().filter(r -> r.id().equals(id)).findFirst().ifPresentOrElse(this::picked, this::refresh);
    }

    private void picked(GdprRequestView request) {
        picking = null;
        selected.set(request);
    }

    /** Puts the request as a step left it in the list and the details, without asking for the list again. */
    private void stepped(GdprRequestView updated) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).id().equals(updated.id())) {
                requests.set(i, updated);
            }
        }
        selected.set(updated);
    }

    public void refresh() {
        session.executor()
                .run(
                        () -> session.api()
                                .gdpr()
                                .list(
                                        status.get() == null ? "" : status.get(),
                                        GdprType.parse(type.get()).orElse(null),
                                        overdueOnly.get(),
                                        null,
                                        LIST_SIZE),
                        this::show,
                        this::fail);
    }

    private void show(Page<GdprRequestView> page) {
        problem.set("");
        @Nullable GdprRequestView chosen = selected.get();
        requests.setAll(queued(page.items()));
        @Nullable UUID wanted = picking;
        if (wanted != null) {
            page.items().stream().filter(r -> r.id().equals(wanted)).findFirst().ifPresent(this::picked);
        }
        if (chosen != null) {
            page.items().stream()
                    .filter(r -> r.id().equals(chosen.id()))
                    .findFirst()
                    .ifPresent(selected::set);
        }
        long overdue = page.items().stream().filter(GdprRequestView::overdue).count();
        summary.set(page.items().size() + " listed" + (overdue == 0 ? "" : ", " + overdue + " overdue"));
    }

    private void select(@Nullable GdprRequestView request) {
        if (request == null) {
            return; // the table lets go of its selection while its rows are replaced
        }
        details.set(describe(
                request, subject.get() != null && subject.get().id().equals(request.userId()) ? subject.get() : null));
        @Nullable List<AuditEntry> history = request.timeline();
        if (history != null) {
            timeline.setAll(history); // a step's answer brings it
        } else {
            loadTimeline(request.id());
        }
        if (subject.get() == null || !subject.get().id().equals(request.userId())) {
            session.executor()
                    .run(
                            () -> session.api().users().get(request.userId()),
                            user -> {
                                subject.set(user);
                                @Nullable GdprRequestView now = selected.get();
                                if (now != null) {
                                    details.set(describe(now, user));
                                }
                            },
                            this::fail);
        }
    }

    /** The request's history from the audit trail; an answer about a request no longer selected is dropped. */
    private void loadTimeline(UUID id) {
        session.executor()
                .run(
                        () -> session.api().gdpr().timeline(id),
                        entries -> {
                            @Nullable GdprRequestView now = selected.get();
                            if (now != null && now.id().equals(id)) {
                                timeline.setAll(entries);
                            }
                        },
                        this::fail);
    }

    String describe(GdprRequestView r, @Nullable UserDetail user) {
        var out = new StringBuilder();
        out.append(Text.capitalised(r.type().wireName()))
                .append(" request — ")
                .append(r.status().wireName())
                .append('\n');
        out.append("Subject: ")
                .append(user == null ? r.userId().toString() : user.name() + " <" + user.email() + ">")
                .append('\n');
        out.append("Received: ").append(day(r.receivedAt())).append('\n');
        out.append("Deadline: ")
                .append(day(r.deadline()))
                .append(" (")
                .append(daysLeft(r))
                .append(")\n");
        if (r.extendedUntil() != null) {
            out.append("Extended: ").append(r.extensionReason()).append('\n');
        }
        if (r.note() != null) {
            out.append("Note: ").append(r.note()).append('\n');
        }
        if (r.rejectedReason() != null) {
            out.append("Rejected: ").append(r.rejectedReason()).append('\n');
        }
        for (GdprRequestView.Recipient recipient : r.recipients()) {
            out.append("Recipient ")
                    .append(recipient.name())
                    .append(": ")
                    .append(
                            recipient.notifiedAt() == null
                                    ? "not told yet (Art. 19)"
                                    : "told " + day(recipient.notifiedAt()))
                    .append('\n');
        }
        if (r.evidenceSha256() != null) {
            out.append("Export handed over, SHA-256 ")
                    .append(r.evidenceSha256())
                    .append('\n');
        }
        out.append('\n').append(waitingFor(r));
        return out.toString();
    }

    /** "12 days left", "due today", "OVERDUE by 3 days", or how it ended. */
    public String daysLeft(GdprRequestView r) {
        if (!r.status().open()) {
            return r.status().wireName();
        }
        long days = Duration.between(clock.instant(), r.deadline()).toDays();
        if (r.overdue()) {
            long late = Math.max(1, -days);
            return "OVERDUE by " + late + (late == 1 ? " day" : " days");
        }
        return days == 0 ? "due today" : days + (days == 1 ? " day left" : " days left");
    }

    /**
     * The queue's order: the open requests whose deadline comes first at the top, then the answered
     * ones, most recently received first.
     */
    static List<GdprRequestView> queued(List<GdprRequestView> requests) {
        return requests.stream()
                .sorted(java.util.Comparator.comparing(
                                (GdprRequestView r) -> !r.status().open())
                        .thenComparing(r -> r.status().open() ? r.deadline() : Instant.MAX)
                        .thenComparing(GdprRequestView::receivedAt, java.util.Comparator.reverseOrder()))
                .toList();
    }

    /** Who must act next, in words, from what the server says the request waits for. */
    public static String waitingFor(GdprRequestView r) {
        @Nullable GdprWaitingFor next = r.waitingFor();
        if (next == null) {
            return "Closed: " + r.status().wireName() + ".";
        }
        return "Waiting for: "
                + switch (next) {
                    case IDENTITY_CHECK ->
                        "someone to check the subject's identity, then Verify (with how it was checked).";
                    case APPROVAL -> "an admin's approval (an admin other than the one who verified it).";
                    case COMPLETION ->
                        r.type() == GdprType.ERASURE
                                ? "the erasure: Complete erases the subject's personal data everywhere, in one go."
                                : "the answer: hand it over, then Complete.";
                };
    }

    /** The short form for the queue's column: "identity check", "an admin's approval", "the answer". */
    public static String waitingForShort(GdprRequestView r) {
        @Nullable GdprWaitingFor next = r.waitingFor();
        if (next == null) {
            return r.status().wireName();
        }
        return switch (next) {
            case IDENTITY_CHECK -> "identity check";
            case APPROVAL -> "an admin's approval";
            case COMPLETION -> r.type() == GdprType.ERASURE ? "the erasure" : "the answer";
        };
    }

    /** Whether the server lists {@code action} among what this staff member may do with the selected request now. */
    public boolean can(GdprAction action) {
        @Nullable GdprRequestView r = selected.get();
        return r != null && r.actions().contains(action);
    }

    /**
     * Whether Complete may be pressed: the server offers it, and for an erasure the subject's
     * e-mail address has been typed (the button stays off until it matches).
     */
    public boolean completeAllowed() {
        return can(GdprAction.COMPLETE) && (!erasing() || erasureConfirmed());
    }

    /** What the confirmation field says under it while an erasure waits to be completed. */
    public String confirmationHint() {
        @Nullable UserDetail user = subject.get();
        if (!erasing() || user == null) {
            return "";
        }
        String typed = confirmation.get() == null ? "" : confirmation.get().strip();
        if (typed.isEmpty()) {
            return "Type " + user.email() + " to turn on Complete.";
        }
        return erasureConfirmed()
                ? "✔ That is " + user.name() + "'s address: Complete erases them now."
                : "That is not " + user.name() + "'s address (" + user.email() + ").";
    }

    /** Whether the selected request is one being erased, at the step that erases. */
    public boolean erasing() {
        @Nullable GdprRequestView r = selected.get();
        return r != null && r.type() == GdprType.ERASURE && can(GdprAction.COMPLETE);
    }

    /** The name offered for the export file. */
    public String exportName() {
        @Nullable GdprRequestView r = selected.get();
        return "steward-export-"
                + (r == null ? "subject" : r.userId().toString().substring(0, 8)) + ".json";
    }

    /** Saves the subject's data to {@code file} (to hand over); the download is audited on the server. */
    public void saveExport(java.nio.file.Path file) {
        @Nullable GdprRequestView r = selected.get();
        if (r == null || !can(GdprAction.EXPORT)) {
            return;
        }
        problem.set("");
        done.set("");
        export.run(
                "Saving the subject's data…",
                "Cancelled: nothing was saved.",
                cancellation ->
                        session.api().users().saveExport(r.userId(), file, cancellation, export.bytesReceived()),
                bytes -> done.set(String.format(
                        Locale.ENGLISH,
                        "Saved %s (%,d bytes) in %s: hand it over, then Complete.",
                        file.getFileName(),
                        bytes,
                        file.toAbsolutePath().getParent())),
                this::fail);
    }

    /** Records that every recipient not yet told has been told of the change. */
    public void recipientsTold() {
        @Nullable GdprRequestView r = selected.get();
        if (r == null || !can(GdprAction.NOTIFY_RECIPIENT)) {
            return;
        }
        List<String> untold = r.recipients().stream()
                .filter(recipient -> recipient.notifiedAt() == null)
                .map(GdprRequestView.Recipient::name)
                .toList();
        busy.set(true);
        session.executor()
                .run(
                        () -> {
                            GdprRequestView last = r;
                            for (String name : untold) {
                                last = session.api().gdpr().recipientNotified(r.id(), name);
                            }
                            return last;
                        },
                        updated -> {
                            busy.set(false);
                            done.set("Recorded that " + String.join(", ", untold) + " "
                                    + (untold.size() == 1 ? "was" : "were") + " told.");
                            stepped(updated);
                        },
                        failure -> {
                            busy.set(false);
                            fail(failure);
                        });
    }

    /** Whether the erasure confirmation names the subject (their e-mail, typed). */
    public boolean erasureConfirmed() {
        @Nullable UserDetail user = subject.get();
        return user != null
                && user.email()
                        .equalsIgnoreCase(
                                confirmation.get() == null
                                        ? ""
                                        : confirmation.get().strip());
    }

    /** Runs one step on the selected request with the text typed (note or reason). */
    public void step(GdprAction step) {
        @Nullable GdprRequestView r = selected.get();
        if (r == null || !can(step)) {
            return;
        }
        String typed = text.get() == null ? "" : text.get().strip();
        if ((step == GdprAction.EXTEND || step == GdprAction.REJECT) && typed.isEmpty()) {
            problem.set("Write the reason first: the subject is told it.");
            return;
        }
        if (step == GdprAction.COMPLETE && r.type() == GdprType.ERASURE && !erasureConfirmed()) {
            problem.set("Type the subject's e-mail address to confirm the erasure.");
            return;
        }
        @Nullable String note = typed.isEmpty() ? null : typed;
        GdprApi gdpr = session.api().gdpr();
        UUID id = r.id();
        Supplier<GdprRequestView> call = switch (step) {
            case VERIFY -> () -> gdpr.verify(id, note);
            case EXTEND -> () -> gdpr.extend(id, 1, typed);
            case REJECT -> () -> gdpr.reject(id, typed);
            case APPROVE -> () -> gdpr.approve(id, note);
            case COMPLETE -> () -> gdpr.complete(id, note);
            case NOTIFY_RECIPIENT, EXPORT -> throw new IllegalArgumentException(step + " is not a step");
        };
        busy.set(true);
        problem.set("");
        session.executor()
                .run(
                        call,
                        updated -> {
                            busy.set(false);
                            text.set("");
                            confirmation.set("");
                            done.set(Text.capitalised(r.type().wireName()) + " request is now "
                                    + updated.status().wireName() + ".");
                            if (step == GdprAction.COMPLETE) {
                                // the answer may have changed the subject (an erasure anonymises them): read them again
                                subject.set(null);
                            }
                            stepped(updated);
                        },
                        failure -> {
                            busy.set(false);
                            fail(failure);
                        });
    }

    private String day(Instant at) {
        return Dates.DAY.format(at.atZone(clock.getZone()));
    }

    private void fail(Throwable failure) {
        problem.set(Text.problem(failure));
    }

    public ObservableList<AuditEntry> timeline() {
        return timeline;
    }

    public ObservableList<GdprRequestView> requests() {
        return requests;
    }

    public ObjectProperty<@Nullable GdprRequestView> selectedProperty() {
        return selected;
    }

    public ObjectProperty<@Nullable UserDetail> subjectProperty() {
        return subject;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty typeProperty() {
        return type;
    }

    public BooleanProperty overdueOnlyProperty() {
        return overdueOnly;
    }

    public StringProperty textProperty() {
        return text;
    }

    public StringProperty confirmationProperty() {
        return confirmation;
    }

    public StringProperty detailsProperty() {
        return details;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty doneProperty() {
        return done;
    }

    /** Whether a step or the export is under way (the step buttons wait). */
    public BooleanExpression busyProperty() {
        return working;
    }

    public BooleanProperty exportingProperty() {
        return export.runningProperty();
    }

    public StringProperty exportProgressProperty() {
        return export.progressProperty();
    }

    /** Stops saving the export; nothing is left behind. */
    public void cancelExport() {
        export.cancel();
    }

    public String when(Instant at) {
        return day(at);
    }
}
