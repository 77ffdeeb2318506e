package io.steward.console.alerts;

import io.steward.console.session.Session;
import io.steward.console.ui.Text;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import java.util.function.Supplier;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * A desktop notification when an alert fires (and a quieter one when it resolves), whichever
 * screen is open. Silenced alerts stay quiet here too.
 */
public final class AlertNotifications {
    private AlertNotifications() {}

    /** Follows the session's alerts; {@code owner} is the window the notifications belong to. */
    public static void follow(Session session, Supplier<Window> owner) {
        session.feed().onAlert(alert -> {
            if (alert.silenced()) {
                return;
            }
            if (alert.state() == AlertState.FIRING) {
                show(owner.get(), "Alert firing: " + alert.ruleName(), describe(alert), true);
            } else if (alert.state() == AlertState.RESOLVED && alert.firedAt() != null) {
                show(
                        owner.get(),
                        "Resolved: " + alert.ruleName(),
                        "After "
                                + Text.duration(java.time.Duration.between(alert.startedAt(), alert.resolvedAt()))
                                + ". " + AlertsViewModel.condition(alert.metric(), alert.op(), alert.threshold())
                                + " no longer holds.",
                        false);
            }
        });
    }

    static String describe(AlertView alert) {
        String value = alert.firedValue() == null ? "" : " (it was " + AlertsViewModel.number(alert.firedValue()) + ")";
        String description = alert.description().isBlank() ? "" : "\n" + alert.description();
        return alert.severity().toUpperCase(java.util.Locale.ROOT) + ": "
                + AlertsViewModel.condition(alert.metric(), alert.op(), alert.threshold()) + value + description;
    }

    private static void show(Window owner, String title, String text, boolean firing) {
        var notification = Notifications.create()
                .title(title)
                .text(text)
                .hideAfter(Duration.seconds(firing ? 30 : 8))
                .owner(owner);
        if (firing) {
            notification.showWarning();
        } else {
            notification.showInformation();
        }
    }
}
