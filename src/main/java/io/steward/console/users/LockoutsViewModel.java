package io.steward.console.users;

import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.SignInLockout;
import io.steward.server.api.SignInLockouts;
import io.steward.server.api.TargetedAccount;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Collectors;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * The admin's view of sign-in lockouts: account names locked out from one address after five
 * failures in a row (they end by themselves after 15 minutes, or when an admin unlocks them), and
 * names attacked from many addresses, which are not locked but worth a word with their owner.
 */
public final class LockoutsViewModel {

    private final Session session;
    private final ZoneId zone;
    private final ObservableList<SignInLockout> lockouts = FXCollections.observableArrayList();
    private final StringProperty targeted = new SimpleStringProperty("");
    private final StringProperty verdict = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");

    public LockoutsViewModel(Session session, ZoneId zone) {
        this.session = session;
        this.zone = zone;
    }

    /** Reads the lockouts as they stand now. */
    public void refresh() {
        problem.set("");
        session.executor()
                .run(() -> session.api().auth().lockouts(), this::show, failure -> problem.set(Text.problem(failure)));
    }

    private void show(SignInLockouts now) {
        lockouts.setAll(now.items());
        targeted.set(now.targeted().stream().map(this::describe).collect(Collectors.joining("\n")));
        if (now.items().isEmpty() && verdict.get().isEmpty()) {
            verdict.set("Nobody is locked out of signing in.");
        }
    }

    private String describe(TargetedAccount t) {
        return t.email() + ": " + t.failures() + " failed sign-ins from " + t.addresses()
                + (t.addresses() == 1 ? " address" : " addresses") + " since " + time(t.firstFailure())
                + ". Not locked: ask the person whether it was them, and consider a new password.";
    }

    /** Ends the lockout of {@code lockout}'s name from its address; audited on the server. */
    public void unlock(@Nullable SignInLockout lockout) {
        if (lockout == null) {
            return;
        }
        verdict.set("");
        problem.set("");
        session.executor()
                .run(
                        () -> {
                            session.api().auth().unlock(lockout.email(), lockout.ip());
                            return lockout;
                        },
                        done -> {
                            verdict.set(done.email() + " can sign in again from " + done.ip() + ".");
                            refresh();
                        },
                        failure -> problem.set(Text.problem(failure)));
    }

    /** A time of day, e.g. {@code 14:05}. */
    public String time(Instant at) {
        return Dates.TIME.format(at.atZone(zone));
    }

    public ObservableList<SignInLockout> lockouts() {
        return lockouts;
    }

    /** Names attacked from many addresses, one per line; empty when none. */
    public StringProperty targetedProperty() {
        return targeted;
    }

    public StringProperty verdictProperty() {
        return verdict;
    }

    public StringProperty problemProperty() {
        return problem;
    }
}
