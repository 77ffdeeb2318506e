package io.steward.console.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.CreateUserRequest;
import io.steward.server.api.Endpoint;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserView;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The Users screen's view model on its own: a fake server, everything on the test's thread. */
class UsersViewModelTest {
    /** The pause after typing, over when the test says so. */
    static final class Typing implements Function<Runnable, Runnable> {
        private @Nullable Runnable search;
        private boolean typed;

        @Override
        public Runnable apply(Runnable then) {
            search = then;
            return () -> typed = true;
        }

        void pause() {
            if (typed && search != null) {
                typed = false;
                search.run();
            }
        }
    }

    final FakeSession fake = new FakeSession(Role.SUPPORT);
    final Typing typing = new Typing();

    static UserView grace() {
        return Views.user(Views.id(2), "Grace Hopper", Role.INSTRUCTOR);
    }

    static Page<UserView> page(@Nullable String next, UserView... users) {
        return new Page<>(List.of(users), next);
    }

    UsersViewModel open(FakeSession on) {
        on.server.answer(Endpoint.USERS, page(null, Views.ada().summary(), grace()));
        var model = new UsersViewModel(on.session, ZoneOffset.UTC, typing);
        model.start();
        return model;
    }

    /** Opened on Ada's details, with her requests and history answered. */
    UsersViewModel onAda() {
        var model = open(fake);
        fake.server
                .answer(Endpoint.USER, Views.ada())
                .answer(
                        Endpoint.GDPR_REQUESTS,
                        new Page<>(
                                List.of(Views.gdprRequest(
                                        Views.id(7), GdprType.ACCESS, GdprStatus.RECEIVED, GdprAction.VERIFY)),
                                null))
                .answer(Endpoint.USER_HISTORY, new Page<>(List.of(Views.auditEntry("user.updated", 5)), null));
        model.selectedProperty().set(model.users().getFirst());
        fake.server.forget();
        return model;
    }

    @Test
    void openingTheScreenListsTheFirstPageOnce() {
        var model = open(fake);
        assertThat(fake.server.calls()).extracting(c -> c.endpoint()).containsExactly(Endpoint.USERS);
        assertThat(fake.server.calls().getFirst().queryParameters())
                .as("no search and no filter: only the page size")
                .containsExactly(Map.entry("limit", "50"));
        assertThat(model.summaryProperty().get()).isEqualTo("2 shown");
        typing.pause();
        assertThat(fake.server.calls())
                .as("nothing typed yet, nothing to search")
                .hasSize(1);
    }

    @Test
    void typingSearchesOnceAfterThePauseAndTheFiltersGoAsWireNames() {
        var model = open(fake);
        fake.server.forget();
        model.queryProperty().set("a");
        model.queryProperty().set("ad");
        model.queryProperty().set(" ada ");
        assertThat(fake.server.calls()).as("nothing while typing").isEmpty();
        typing.pause();
        assertThat(fake.server.calls(Endpoint.USERS)).hasSize(1);
        assertThat(fake.server.calls().getFirst().queryParameters()).containsEntry("q", "ada");

        model.roleProperty().set(UsersViewModel.RoleChoice.INSTRUCTOR);
        model.statusProperty().set(UsersViewModel.StatusChoice.INACTIVE);
        assertThat(fake.server.calls(Endpoint.USERS).getLast().queryParameters())
                .containsEntry("q", "ada")
                .containsEntry("role", "instructor")
                .containsEntry("status", "inactive");
        assertThat(fake.server.calls(Endpoint.USERS))
                .as("one search a filter changed")
                .hasSize(3);
    }

    @Test
    void anAnswerToAnOlderSearchIsDroppedAndItsCallCancelled() {
        var model = open(fake);
        fake.server.forget();
        fake.server.answer(Endpoint.USERS, call -> {
            if ("ada".equals(call.queryParameters().get("q"))) {
                // the person types on before the server answers
                model.queryProperty().set("grace");
                typing.pause();
                return page(null, Views.ada().summary());
            }
            return page(null, grace());
        });
        model.queryProperty().set("ada");
        typing.pause();
        assertThat(model.users()).extracting(UserView::name).containsExactly("Grace Hopper");
        assertThat(fake.server.calls(Endpoint.USERS).getFirst().cancellation())
                .satisfies(c -> assertThat(c).isNotNull().matches(x -> x.isCancelled()));
    }

    @Test
    void scrollingFetchesThePageAfterTheCursorUntilTheLast() {
        fake.server.answer(Endpoint.USERS, page("cursor-1", Views.ada().summary()));
        var model = new UsersViewModel(fake.session, ZoneOffset.UTC, typing);
        model.start();
        assertThat(model.summaryProperty().get()).isEqualTo("1 shown, scroll for more");
        fake.server.forget();
        fake.server.answer(Endpoint.USERS, page(null, grace()));

        model.loadMore();

        assertThat(fake.server.calls(Endpoint.USERS).getFirst().queryParameters())
                .containsEntry("cursor", "cursor-1");
        assertThat(model.users()).extracting(UserView::name).containsExactly("Ada Lovelace", "Grace Hopper");
        assertThat(model.summaryProperty().get()).isEqualTo("2 shown");
        model.loadMore();
        assertThat(fake.server.calls())
                .as("the last page was shown: nothing more to fetch")
                .hasSize(1);
    }

    @Test
    void selectingAUserShowsTheirDetailsTheirRequestsAndWhatTheTrailSaysOfThem() {
        var model = open(fake);
        fake.server
                .answer(Endpoint.USER, Views.ada())
                .answer(Endpoint.GDPR_REQUESTS, new Page<>(List.of(), null))
                .answer(Endpoint.USER_HISTORY, new Page<>(List.of(Views.auditEntry("user.updated", 5)), null));
        fake.server.forget();
        model.selectedProperty().set(model.users().getFirst());

        assertThat(fake.server.calls())
                .extracting(c -> c.endpoint())
                .containsExactly(Endpoint.USER, Endpoint.GDPR_REQUESTS, Endpoint.USER_HISTORY);
        assertThat(fake.server.calls(Endpoint.USER).getFirst().path()).isEqualTo("/api/v1/users/" + Views.ADA);
        assertThat(fake.server.calls(Endpoint.GDPR_REQUESTS).getFirst().queryParameters())
                .containsEntry("userId", Views.ADA.toString())
                .containsEntry("limit", "50");
        assertThat(model.detailsProperty().get())
                .startsWith("Ada Lovelace\nada@example.org\n\nRole: student\nStatus: active\n")
                .contains(
                        "Address: 12 St James's Square, SW1Y 4JH, London, GB",
                        "Born: 25 Jul 1954",
                        "Related records: enrolments 2, communications 1, sessions 4, e-mails 3, GDPR requests 1,"
                                + " audit entries 9");
        assertThat(model.history()).hasSize(1);
        assertThat(model.editNameProperty().get()).isEqualTo("Ada Lovelace");
    }

    @Test
    void savingSendsOnlyWhatChangedAtTheVersionEdited() {
        var model = onAda();
        model.save();
        assertThat(model.savedProperty().get()).isEqualTo("Nothing to save: nothing was changed.");
        assertThat(fake.server.calls()).isEmpty();

        fake.server.answer(Endpoint.USER_UPDATE, call -> Views.ada());
        model.editNameProperty().set("  Ada King ");
        model.save();

        var sent = fake.server.calls(Endpoint.USER_UPDATE);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().path()).isEqualTo("/api/v1/users/" + Views.ADA);
        assertThat(sent.getFirst().version()).isEqualTo(Views.ada().version());
        assertThat(sent.getFirst().body()).isEqualTo(new UpdateUserRequest(null, "Ada King", null, null, null));
        assertThat(model.savedProperty().get()).isEqualTo("Saved.");
    }

    @Test
    void deactivatingSaysWhatItWillDoAndSendsNothingUntilConfirmed() {
        var model = onAda();
        fake.server.answer(Endpoint.USER_UPDATE, Views.ada());
        model.editActiveProperty().set(false);
        model.save();
        assertThat(model.deactivateWarningProperty().get())
                .isEqualTo("Deactivate Ada Lovelace (ada@example.org)? They can no longer sign in to the platform"
                        + " until someone reactivates the account. Their data is kept.");
        assertThat(fake.server.calls()).isEmpty();

        model.confirmDeactivation();
        assertThat(fake.server.calls(Endpoint.USER_UPDATE))
                .singleElement()
                .satisfies(call ->
                        assertThat(call.body()).isEqualTo(new UpdateUserRequest(null, null, null, false, null)));
    }

    @Test
    void whatTheServerRefusesIsShownBesideTheFieldOrAsSomeoneElsesChange() {
        var model = onAda();
        model.editEmailProperty().set("grace@example.org");
        fake.server.fail(
                Endpoint.USER_UPDATE,
                new ApiException(422, "VALIDATION_ERROR", "already in use", "email", "req-3", null));
        model.save();
        assertThat(model.emailErrorProperty().get()).isEqualTo("Already in use.");
        assertThat(model.problemProperty().get()).isEmpty();

        fake.server.forget();
        fake.server.fail(
                Endpoint.USER_UPDATE,
                new ApiException(412, "PRECONDITION_FAILED", "changed meanwhile", null, "req-4", null));
        model.save();
        assertThat(model.problemProperty().get())
                .isEqualTo("Someone changed ada@example.org while you were editing. Their current details are shown"
                        + " now; make your change again.");
        assertThat(fake.server.calls(Endpoint.USER))
                .as("their current details are read again")
                .hasSize(1);
        assertThat(model.editEmailProperty().get()).isEqualTo("ada@example.org");
    }

    @Test
    void onlyAnAdminCreatesStaffAndTheServersPasswordRuleIsShownBesideThePassword() {
        assertThat(onAda().assignableRoles()).containsExactly(Role.STUDENT, Role.INSTRUCTOR);

        var admin = new FakeSession(Role.ADMIN);
        var model = open(admin);
        assertThat(model.assignableRoles()).contains(Role.SUPPORT, Role.ADMIN);
        admin.server.fail(
                Endpoint.USER_CREATE,
                new ApiException(422, "VALIDATION_ERROR", "must be at least 15 characters", "password", "r", null));
        model.newEmailProperty().set(" new@steward.test ");
        model.newNameProperty().set("New Person");
        model.newPasswordProperty().set("short");
        model.createStaff();
        assertThat(admin.server.calls(Endpoint.USER_CREATE).getFirst().body())
                .isEqualTo(new CreateUserRequest("new@steward.test", "New Person", "support", "short", true));
        assertThat(model.newErrorProperty().get()).isEqualTo("Password: must be at least 15 characters.");
        assertThat(model.createdProperty().get()).isEmpty();
    }
}
