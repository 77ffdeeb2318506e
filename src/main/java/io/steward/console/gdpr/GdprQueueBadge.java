package io.steward.console.gdpr;

import io.steward.console.session.Session;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The number beside "GDPR requests" in the sidebar: the open requests whose next step the person
 * signed in may take now (by the actions the server sends them), followed from the live stream for
 * the whole session, whether the screen is open or not.
 */
public final class GdprQueueBadge {
    /** The steps that move a request on; telling a recipient or saving an export do not. */
    static final Set<GdprAction> STEPS = EnumSet.of(GdprAction.VERIFY, GdprAction.APPROVE, GdprAction.COMPLETE);

    private static final int LOOKED_AT = 200;

    private final Session session;
    private final StringProperty text = new SimpleStringProperty("");

    private GdprQueueBadge(Session session) {
        this.session = session;
    }

    /** Starts following the queue for {@code session}. */
    public static ReadOnlyStringProperty follow(Session session) {
        var badge = new GdprQueueBadge(session);
        badge.refresh();
        session.feed().onAudit(action -> {
            if (action.startsWith("gdpr.")) {
                badge.refresh();
            }
        });
        return badge.text;
    }

    private void refresh() {
        session.executor()
                .run(
                        () -> session.api().gdpr().list(GdprStatus.OPEN, null, false, null, LOOKED_AT),
                        page -> text.set(label(page.items(), page.nextCursor() != null)),
                        failure -> {
                            // the screen itself says what is wrong; the badge keeps its last count
                        });
    }

    static String label(List<GdprRequestView> open, boolean more) {
        long mine = open.stream()
                .filter(r -> r.actions().stream().anyMatch(STEPS::contains))
                .count();
        return mine == 0 ? "" : mine + (more ? "+" : "");
    }
}
