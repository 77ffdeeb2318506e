package io.steward.console.flags;

import io.steward.console.client.ApiException;
import io.steward.console.client.AuditApi;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.FlagEvaluation;
import io.steward.server.api.FlagPreview;
import io.steward.server.api.FlagRequest;
import io.steward.server.api.FlagView;
import io.steward.server.api.Role;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The Feature flags screen: the flags, the selected one's switch and rollout percentage (admins
 * change them, with what the change would do shown first), "who gets it?" for one user, and the
 * flag's history from the audit trail (for those who may read it). Holds no JavaFX nodes.
 */
public final class FlagsViewModel {

    private final Session session;
    private final ZoneId zone;
    private final ObservableList<FlagView> flags = FXCollections.observableArrayList();
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable FlagView> selected = new SimpleObjectProperty<>();
    private final BooleanProperty enabled = new SimpleBooleanProperty();
    private final IntegerProperty percentage = new SimpleIntegerProperty();
    private final StringProperty impact = new SimpleStringProperty("");
    private final StringProperty userId = new SimpleStringProperty("");
    private final StringProperty answer = new SimpleStringProperty("");
    private final StringProperty saved = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty canEdit;
    private final boolean canReadHistory;
    private @Nullable String shownKey;

    public FlagsViewModel(Session session, ZoneId zone) {
        this.session = session;
        this.zone = zone;
        this.canEdit = new SimpleBooleanProperty(session.role() == Role.ADMIN);
        this.canReadHistory = session.role() == Role.ADMIN || session.role() == Role.AUDITOR;
        selected.subscribe(this::select);
    }

    public void start() {
        refresh();
    }

    public void refresh() {
        refresh("");
    }

    /** Reads the flags again, then shows {@code problem} ("" for none) over them. */
    private void refresh(String problemAfter) {
        session.executor()
                .run(
                        () -> session.api().flags().list(),
                        list -> {
                            show(list);
                            problem.set(problemAfter);
                        },
                        this::showProblem);
    }

    private void show(List<FlagView> list) {
        @Nullable FlagView chosen = selected.get();
        flags.setAll(list);
        if (chosen != null) {
            list.stream().filter(f -> f.key().equals(chosen.key())).findFirst().ifPresent(selected::set);
        }
    }

    private void select(@Nullable FlagView flag) {
        if (flag == null) {
            return; // the table lets go of its selection while its rows are replaced
        }
        boolean another = !flag.key().equals(shownKey);
        shownKey = flag.key();
        if (another) {
            saved.set("");
            answer.set("");
            impact.set("");
            history.clear();
        }
        enabled.set(flag.enabled());
        percentage.set(flag.percentage());
        if (canReadHistory) {
            loadHistory(flag.key());
        }
    }

    /** Shows what moving the selected flag to the slider's percentage would do, before saving. */
    public void previewImpact() {
        @Nullable FlagView flag = selected.get();
        if (flag == null) {
            return;
        }
        int to = percentage.get();
        session.executor()
                .run(
                        () -> session.api().flags().preview(flag.key(), to),
                        preview -> impact.set(impactText(preview)),
                        this::showProblem);
    }

    static String impactText(FlagPreview p) {
        return String.format(
                Locale.ENGLISH,
                "At %d %%: on for %,d of %,d users (now %,d); %,d would get it, %,d would lose it.",
                p.percentage(),
                p.onAfter(),
                p.users(),
                p.onNow(),
                p.turningOn(),
                p.turningOff());
    }

    /** Saves the switch and the percentage of the selected flag. */
    public void save() {
        @Nullable FlagView flag = selected.get();
        if (flag == null) {
            return;
        }
        var change = new FlagRequest(enabled.get(), percentage.get(), null, null);
        session.executor()
                .run(
                        () -> session.api().flags().update(flag.key(), flag.version(), change),
                        updated -> {
                            problem.set("");
                            selected.set(updated);
                            saved.set("Saved: " + flag.key() + " is "
                                    + (updated.enabled()
                                            ? "on for " + updated.percentage() + " %"
                                            : "off for everyone (kill switch)")
                                    + ".");
                            refresh(); // the history was read again when the updated flag was selected
                        },
                        failure -> {
                            if (failure instanceof ApiException api && api.status() == 412) {
                                refresh(
                                        "Someone changed " + flag.key()
                                                + " while you were editing it. Its current settings are shown now; make your change again.");
                            } else {
                                showProblem(failure);
                            }
                        });
    }

    /** Whether the selected flag is on for the user id typed, and why. */
    public void whoGetsIt() {
        @Nullable FlagView flag = selected.get();
        String user = userId.get() == null ? "" : userId.get().strip();
        if (flag == null || user.isEmpty()) {
            answer.set("Type a user id first.");
            return;
        }
        session.executor()
                .run(
                        () -> session.api().flags().evaluate(flag.key(), user),
                        e -> answer.set(answerText(e)),
                        this::showProblem);
    }

    static String answerText(FlagEvaluation e) {
        String why = switch (e.reason()) {
            case "disabled" -> "the flag is switched off for everyone";
            case "rule" -> "this user is on the flag's list";
            case "rollout" -> "their bucket " + e.bucket() + " is within the rollout percentage";
            case "outside-rollout" -> "their bucket " + e.bucket() + " is above the rollout percentage";
            default -> e.reason();
        };
        return (e.enabled() ? "✔ On" : "✖ Off") + " for " + e.userId() + ": " + why + ".";
    }

    private void loadHistory(String key) {
        session.executor()
                .run(
                        () -> {
                            var lines = new ArrayList<AuditEntry>();
                            for (String action : List.of("flag.created", "flag.updated")) {
                                var query = new AuditApi.Query(action, null, null, null, null);
                                session.api().audit().list(query, null, 200).items().stream()
                                        .filter(entry ->
                                                key.equals(entry.details().get("key")))
                                        .forEach(lines::add);
                            }
                            lines.sort(Comparator.comparing(AuditEntry::at).reversed());
                            return lines.stream().map(this::historyLine).toList();
                        },
                        history::setAll,
                        this::showProblem);
    }

    private String historyLine(AuditEntry entry) {
        Object after = entry.details().get("after");
        String state = after instanceof Map<?, ?> a
                ? (Boolean.TRUE.equals(a.get("enabled")) ? "on for " + a.get("percentage") + " %" : "off")
                : "";
        return Dates.MINUTE.format(entry.at().atZone(zone)) + "  "
                + (entry.action().equals("flag.created") ? "created, " : "set ") + state;
    }

    private void showProblem(Throwable failure) {
        problem.set(Text.problem(failure));
    }

    public ObservableList<FlagView> flags() {
        return flags;
    }

    public ObservableList<String> history() {
        return history;
    }

    public ObjectProperty<@Nullable FlagView> selectedProperty() {
        return selected;
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    public IntegerProperty percentageProperty() {
        return percentage;
    }

    public StringProperty impactProperty() {
        return impact;
    }

    public StringProperty userIdProperty() {
        return userId;
    }

    public StringProperty answerProperty() {
        return answer;
    }

    public StringProperty savedProperty() {
        return saved;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public BooleanProperty canEditProperty() {
        return canEdit;
    }
}
