package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The signed-in window's view model on its own: a fake session, everything on the test's thread. */
class ShellViewModelTest {
    static final List<String> SCREENS = List.of("dashboard", "metrics", "audit");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    final FakeSession fake = new FakeSession(Role.AUDITOR);

    ShellViewModel open(@Nullable String initialScreen) {
        return new ShellViewModel(fake.session, SCREENS, initialScreen, Clock.fixed(Views.NOW, PARIS));
    }

    /** When the feed says the stream was lost. */
    Instant lostAt() {
        Instant lost = fake.session.feed().lostAtProperty().get();
        assertThat(lost).as("the feed noted when the stream was lost").isNotNull();
        return lost;
    }

    @Test
    void theWindowOpensOnTheScreenAskedForIfThisRoleHasIt() {
        assertThat(open("audit").screenProperty().get()).isEqualTo("audit");
        assertThat(open("users").screenProperty().get())
                .as("a screen this role does not have: the first one")
                .isEqualTo("dashboard");
        assertThat(open(null).screenProperty().get()).isEqualTo("dashboard");
    }

    @Test
    void onlyTheRolesScreensCanBeShown() {
        var model = open(null);
        model.show("metrics");
        assertThat(model.screenProperty().get()).isEqualTo("metrics");
        model.show("users");
        assertThat(model.screenProperty().get()).as("unknown ids are ignored").isEqualTo("metrics");
    }

    @Test
    void theStatusBarSaysWhoIsSignedInWhere() {
        var model = open(null);
        assertThat(model.userText()).isEqualTo("Signed in as Sam auditor · auditor");
        assertThat(model.serverText()).isEqualTo("Server: test server");
        assertThat(model.connectionText().get()).isEqualTo("● Live");
        assertThat(model.bannerText().get()).isEmpty();
        assertThat(model.stale().get()).isFalse();
    }

    @Test
    void aLostStreamIsSaidWithSinceWhenAndWhyAndWhatIsShownIsMarkedStale() {
        var model = open(null);
        fake.connection(false, "The server does not answer.");
        assertThat(model.connectionText().get()).isEqualTo("○ Reconnecting…");
        assertThat(model.stale().get()).isTrue();
        Instant lost = lostAt();
        String since = DateTimeFormatter.ofPattern("HH:mm:ss").format(lost.atZone(PARIS));
        assertThat(model.bannerText().get())
                .isEqualTo("No live connection to the server since " + since + ". The server does not answer."
                        + " Showing the last data received; Steward reconnects by itself.");

        fake.connection(false, "The server went silent.");
        assertThat(model.bannerText().get())
                .as("each failed attempt says why; the loss dates from the first")
                .isEqualTo("No live connection to the server since " + since + ". The server went silent."
                        + " Showing the last data received; Steward reconnects by itself.");
        assertThat(lostAt()).isEqualTo(lost);

        fake.connection(true, "");
        assertThat(model.bannerText().get()).isEmpty();
        assertThat(model.connectionText().get()).isEqualTo("● Live");
        assertThat(model.stale().get()).isFalse();
    }
}
