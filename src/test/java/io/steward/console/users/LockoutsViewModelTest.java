package io.steward.console.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Role;
import io.steward.server.api.SignInLockout;
import io.steward.server.api.SignInLockouts;
import io.steward.server.api.TargetedAccount;
import io.steward.server.api.UnlockRequest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin's sign-in lockouts on their own: a fake server, everything on the test's thread. */
class LockoutsViewModelTest {
    static final SignInLockout LOCKED = new SignInLockout(
            "ada@example.org", "203.0.113.7", Views.NOW.minusSeconds(300), Views.NOW.plusSeconds(600));
    static final SignInLockouts NOBODY = new SignInLockouts(List.of(), List.of());

    final FakeSession fake = new FakeSession(Role.ADMIN);
    final LockoutsViewModel model = new LockoutsViewModel(fake.session, ZoneId.of("Europe/Paris"));

    static TargetedAccount targeted(String email, int addresses) {
        return new TargetedAccount(email, 40, addresses, Views.NOW.minusSeconds(2_700), Views.NOW.minusSeconds(60));
    }

    @Test
    void theLockoutsAreListedAndNamesAttackedFromManyAddressesAreSaidInWords() {
        fake.server.answer(
                Endpoint.LOCKOUTS,
                new SignInLockouts(
                        List.of(LOCKED), List.of(targeted("grace@example.org", 12), targeted("alan@example.org", 1))));
        model.refresh();
        assertThat(model.lockouts()).containsExactly(LOCKED);
        assertThat(model.targetedProperty().get())
                .isEqualTo("grace@example.org: 40 failed sign-ins from 12 addresses since 10:15. Not locked: ask the"
                        + " person whether it was them, and consider a new password.\n"
                        + "alan@example.org: 40 failed sign-ins from 1 address since 10:15. Not locked: ask the"
                        + " person whether it was them, and consider a new password.");
        assertThat(model.verdictProperty().get()).as("someone is locked out").isEmpty();
    }

    @Test
    void anEmptyListSaysNobodyIsLockedOut() {
        fake.server.answer(Endpoint.LOCKOUTS, NOBODY);
        model.refresh();
        assertThat(model.lockouts()).isEmpty();
        assertThat(model.targetedProperty().get()).isEmpty();
        assertThat(model.verdictProperty().get()).isEqualTo("Nobody is locked out of signing in.");
    }

    @Test
    void unlockingSendsTheNameAndAddressOnceAndSaysWhoCanSignInAgain() {
        fake.server.answer(Endpoint.UNLOCK, Map.of()).answer(Endpoint.LOCKOUTS, NOBODY);
        model.unlock(LOCKED);
        assertThat(fake.server.calls())
                .extracting(c -> c.endpoint())
                .containsExactly(Endpoint.UNLOCK, Endpoint.LOCKOUTS);
        assertThat(fake.server.calls(Endpoint.UNLOCK).getFirst().body())
                .isEqualTo(new UnlockRequest("ada@example.org", "203.0.113.7"));
        assertThat(model.verdictProperty().get())
                .as("the list read again does not hide what was done")
                .isEqualTo("ada@example.org can sign in again from 203.0.113.7.");
    }

    @Test
    void nothingIsUnlockedWithoutASelection() {
        model.unlock(null);
        assertThat(fake.server.calls()).isEmpty();
    }

    @Test
    void whatTheServerRefusesIsShownInItsWords() {
        fake.server.fail(Endpoint.UNLOCK, new ApiException(403, "FORBIDDEN", "admins only", null, "req-5", null));
        model.unlock(LOCKED);
        assertThat(model.problemProperty().get()).isEqualTo("Admins only (request req-5).");
        assertThat(model.verdictProperty().get()).isEmpty();
        assertThat(fake.server.calls(Endpoint.LOCKOUTS))
                .as("nothing changed: nothing to read again")
                .isEmpty();
    }
}
