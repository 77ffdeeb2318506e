package io.steward.console.shell;

import io.steward.console.session.LiveFeed;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in window's state: which screen is shown, who is signed in where, and whether the
 * live connection holds (and since when it does not).
 */
public final class ShellViewModel {

    private final Session session;
    private final List<String> screens;
    private final StringProperty screen = new SimpleStringProperty();
    private final StringBinding connectionText;
    private final StringBinding bannerText;
    private final BooleanBinding stale;
    private final ZoneId zone;

    public ShellViewModel(Session session, List<String> screens, @Nullable String initialScreen, Clock clock) {
        this.session = session;
        this.screens = List.copyOf(screens);
        this.zone = clock.getZone();
        screen.set(initialScreen != null && screens.contains(initialScreen) ? initialScreen : screens.getFirst());
        LiveFeed feed = session.feed();
        stale = feed.liveProperty().not();
        connectionText = Bindings.createStringBinding(
                () -> feed.liveProperty().get() ? "● Live" : "○ Reconnecting…", feed.liveProperty());
        bannerText = Bindings.createStringBinding(
                () -> {
                    Instant lost = feed.lostAtProperty().get();
                    if (feed.liveProperty().get()) {
                        return "";
                    }
                    String since = lost == null ? "" : " since " + Dates.CLOCK.format(lost.atZone(zone));
                    String why = feed.problemProperty().get().isEmpty()
                            ? ""
                            : " " + feed.problemProperty().get();
                    return "No live connection to the server" + since + "." + why
                            + " Showing the last data received; Steward reconnects by itself.";
                },
                feed.liveProperty(),
                feed.lostAtProperty(),
                feed.problemProperty());
    }

    public List<String> screens() {
        return screens;
    }

    /** The id of the screen shown. */
    public StringProperty screenProperty() {
        return screen;
    }

    /** Shows a screen by its id; unknown ids (a screen this role does not have) are ignored. */
    public void show(String id) {
        if (screens.contains(id)) {
            screen.set(id);
        }
    }

    public String userText() {
        return "Signed in as " + session.user().name() + " · " + session.role().wireName();
    }

    public String serverText() {
        return "Server: " + session.serverLabel();
    }

    public StringBinding connectionText() {
        return connectionText;
    }

    public StringBinding bannerText() {
        return bannerText;
    }

    /** True while the live connection is lost: what is shown is the last data received. */
    public BooleanBinding stale() {
        return stale;
    }
}
