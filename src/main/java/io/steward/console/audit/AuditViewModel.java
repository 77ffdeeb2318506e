package io.steward.console.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.console.client.AuditApi;
import io.steward.console.session.LongOperation;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.History;
import io.steward.console.ui.Text;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
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
 * The Audit log screen: filters (action, actor, subject, days), the entries newest first a page at
 * a time, the selected entry's details, and the whole-chain check. Holds no JavaFX nodes.
 */
public final class AuditViewModel {
    private static final DateTimeFormatter WHEN = Dates.SECOND;
    private static final int PAGE = 100;
    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Actions offered in the filter (any other can be typed). */
    public static final List<String> ACTIONS = List.of(
            "auth.login",
            "auth.login_failed",
            "auth.lockout",
            "auth.login_locked",
            "auth.logout",
            "user.created",
            "user.updated",
            "user.rectified",
            "gdpr.request_opened",
            "gdpr.request_verified",
            "gdpr.request_extended",
            "gdpr.request_approved",
            "gdpr.request_completed",
            "gdpr.request_rejected",
            "gdpr.subject_exported",
            "gdpr.retention_run",
            "flag.created",
            "flag.updated",
            "alert.rule_created",
            "alert.rule_updated",
            "alert.rule_deleted",
            "alert.silence_created",
            "alert.silence_ended",
            "backup.started",
            "backup.completed",
            "backup.failed",
            "backup.verified",
            "backup.restored",
            "report.generated",
            "report.downloaded",
            "report.evidence_pack_generated");

    private final Session session;
    private final ZoneId zone;
    private final StringProperty action = new SimpleStringProperty("");
    private final StringProperty actor = new SimpleStringProperty("");
    private final StringProperty subject = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable LocalDate> to = new SimpleObjectProperty<>();
    private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable AuditEntry> selected = new SimpleObjectProperty<>();
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty verdict = new SimpleStringProperty("");
    private final LongOperation verifying;
    private final BooleanProperty more = new SimpleBooleanProperty();
    private AuditApi.Query query = new AuditApi.Query(null, null, null, null, null);
    private @Nullable String cursor;

    public AuditViewModel(Session session, ZoneId zone) {
        this.session = session;
        this.zone = zone;
        this.verifying = new LongOperation(session.executor());
    }

    public void start() {
        apply();
    }

    /** Lists the entries that match the filters, from the newest. */
    public void apply() {
        UUID actorId;
        UUID subjectId;
        try {
            actorId = id(actor.get(), "Actor");
            subjectId = id(subject.get(), "Subject");
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            return;
        }
        LocalDate start = from.get();
        LocalDate end = to.get();
        if (start != null && end != null && start.isAfter(end)) {
            problem.set("The first day is after the last day.");
            return;
        }
        String chosen = action.get() == null ? "" : action.get().strip();
        query = new AuditApi.Query(
                chosen.isEmpty() ? null : chosen,
                actorId,
                subjectId,
                start == null ? null : start.atStartOfDay(zone).toInstant(),
                end == null ? null : end.plusDays(1).atStartOfDay(zone).toInstant());
        cursor = null;
        load(true);
    }

    /** Clears every filter and lists from the newest again. */
    public void clear() {
        action.set("");
        actor.set("");
        subject.set("");
        from.set(null);
        to.set(null);
        apply();
    }

    /** The next page, after the last entry shown. */
    public void loadMore() {
        if (cursor != null) {
            load(false);
        }
    }

    private void load(boolean fresh) {
        AuditApi.Query asked = query;
        @Nullable String after = fresh ? null : cursor;
        session.executor()
                .run(
                        () -> session.api().audit().list(asked, after, PAGE),
                        page -> show(page, fresh),
                        this::showProblem);
    }

    private void show(Page<AuditEntry> page, boolean fresh) {
        problem.set("");
        if (fresh) {
            entries.setAll(page.items());
        } else {
            entries.addAll(page.items());
        }
        cursor = page.nextCursor();
        more.set(cursor != null);
        summary.set(
                entries.isEmpty()
                        ? "No entries match."
                        : String.format(
                                Locale.ENGLISH,
                                "%,d %s shown%s",
                                entries.size(),
                                entries.size() == 1 ? "entry" : "entries",
                                cursor == null ? "" : ", more below"));
    }

    /** Recomputes every entry's hash on the server and says whether the chain is intact. */
    public void verifyChain() {
        verdict.set("");
        verifying.run(
                "Checking every entry's hash against the one before it…",
                "Cancelled: the chain was not checked.",
                cancellation -> session.api().audit().verify(cancellation),
                result -> verdict.set(verdictText(result)),
                this::showProblem);
    }

    /** Stops the chain check under way. */
    public void cancelVerify() {
        verifying.cancel();
    }

    static String verdictText(AuditVerification result) {
        String checked = String.format(Locale.ENGLISH, "%,d", result.checked());
        if (result.valid()) {
            return "✔ The audit chain is intact: " + checked + " entries checked, none changed, removed or inserted"
                    + (result.checkpoints() > 0 ? ", and every signed checkpoint matches." : ".");
        }
        if (result.firstBrokenId() != null) {
            return "✖ The audit chain is broken at entry " + result.firstBrokenId() + " (after " + checked
                    + " entries): it or the one before it was changed, removed or inserted outside Steward.";
        }
        return "✖ The audit chain does not match its signed checkpoints: " + String.join("; ", result.problems()) + ".";
    }

    /** The selected entry as a person reads it: what, when, who, and its details (before and after). */
    public String details(@Nullable AuditEntry entry) {
        if (entry == null) {
            return "Select an entry to see its details.";
        }
        String body;
        try {
            body = PRETTY.writeValueAsString(entry.details());
        } catch (JsonProcessingException e) {
            body = entry.details().toString();
        }
        return entry.action() + " at " + when(entry.at()) + "\n"
                + "actor: " + History.actor(entry) + (entry.actorId() == null ? "" : " (" + entry.actorId() + ")")
                + "\n"
                + "subject: " + (entry.subjectId() == null ? "—" : entry.subjectId()) + "\n"
                + "request: " + (entry.requestId() == null ? "—" : entry.requestId()) + "\n"
                + "hash: " + entry.hash() + "\n\n" + body;
    }

    public String when(Instant at) {
        return WHEN.format(at.atZone(zone));
    }

    public static String shortId(@Nullable UUID id) {
        return id == null ? "—" : id.toString().substring(0, 8);
    }

    private static @Nullable UUID id(@Nullable String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    what
                            + " must be a full id, such as 3f2c1a9e-5b7d-4c1e-9a2b-0c4d5e6f7a8b (copy it from an entry's details).");
        }
    }

    private void showProblem(Throwable failure) {
        problem.set(Text.problem(failure));
    }

    public StringProperty actionProperty() {
        return action;
    }

    public StringProperty actorProperty() {
        return actor;
    }

    public StringProperty subjectProperty() {
        return subject;
    }

    public ObjectProperty<@Nullable LocalDate> fromProperty() {
        return from;
    }

    public ObjectProperty<@Nullable LocalDate> toProperty() {
        return to;
    }

    public ObservableList<AuditEntry> entries() {
        return entries;
    }

    public ObjectProperty<@Nullable AuditEntry> selectedProperty() {
        return selected;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty verdictProperty() {
        return verdict;
    }

    public BooleanProperty verifyingProperty() {
        return verifying.runningProperty();
    }

    public StringProperty verifyProgressProperty() {
        return verifying.progressProperty();
    }

    public BooleanProperty moreProperty() {
        return more;
    }
}
