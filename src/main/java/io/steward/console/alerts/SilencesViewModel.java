package io.steward.console.alerts;

import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.SilenceAction;
import io.steward.server.api.SilenceView;
import java.time.Instant;
import java.time.ZoneId;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The Alerts screen's Silences tab: every silence, active first by the server's order, loaded again
 * whenever any instance records one made or ended; ending one early where the server allows it.
 * Holds no JavaFX nodes.
 */
public final class SilencesViewModel {
    private static final int LIST_SIZE = 200;

    private final Session session;
    private final ZoneId zone;
    private final ObservableList<SilenceView> silences = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty("");

    public SilencesViewModel(Session session, ZoneId zone) {
        this.session = session;
        this.zone = zone;
    }

    public void start() {
        refresh();
        session.feed().onAudit(action -> {
            if (action.startsWith("alert.silence_")) {
                refresh();
            }
        });
    }

    public void refresh() {
        session.executor()
                .run(
                        () -> session.api().alerts().silences(false, LIST_SIZE),
                        page -> {
                            problem.set("");
                            silences.setAll(page.items());
                        },
                        failure -> problem.set(Text.problem(failure)));
    }

    public static boolean canEnd(@Nullable SilenceView silence) {
        return silence != null && silence.actions().contains(SilenceAction.END);
    }

    /** Ends {@code silence} now: the rule's alerts are notified again. */
    public void end(SilenceView silence) {
        session.executor()
                .run(
                        () -> {
                            session.api().alerts().endSilence(silence.id());
                            return true;
                        },
                        ended -> refresh(),
                        failure -> problem.set(Text.problem(failure)));
    }

    public String when(Instant at) {
        return Dates.MINUTE.format(at.atZone(zone));
    }

    /** "active", "ended early by hand" or "expired". */
    public static String state(SilenceView silence) {
        return switch (silence.state()) {
            case ACTIVE -> "Active";
            case EXPIRED ->
                silence.endedAt() != null && silence.endedAt().isBefore(silence.endsAt()) ? "Ended early" : "Expired";
        };
    }

    public ObservableList<SilenceView> silences() {
        return silences;
    }

    public StringProperty problemProperty() {
        return problem;
    }
}
