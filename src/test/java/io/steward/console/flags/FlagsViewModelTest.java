package io.steward.console.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.Endpoint;
import io.steward.server.api.FlagEvaluation;
import io.steward.server.api.FlagPreview;
import io.steward.server.api.FlagRequest;
import io.steward.server.api.FlagView;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Feature flags screen's view model on its own: a fake server, everything on the test's thread. */
class FlagsViewModelTest {
    static final String KEY = "new-editor";
    static final FlagView EDITOR = Views.flag(KEY, true, 25, 4);

    static AuditEntry change(String action, long minutesAgo, String key, Map<String, Object> after) {
        return Views.auditEntry(action, minutesAgo, Map.of("key", key, "after", after));
    }

    /** Signed in on {@code fake}, the flags listed and the first one selected. */
    static FlagsViewModel selected(FakeSession fake) {
        fake.server
                .answer(Endpoint.FLAGS, new Page<>(List.of(EDITOR, Views.flag("dark-mode", false, 0, 1)), null))
                .answer(
                        Endpoint.AUDIT,
                        call -> new Page<>(
                                "flag.created".equals(call.queryParameters().get("type"))
                                        ? List.of(change(
                                                "flag.created", 1_440, KEY, Map.of("enabled", true, "percentage", 10)))
                                        : List.of(
                                                change("flag.updated", 60, KEY, Map.of("enabled", false)),
                                                change("flag.updated", 30, "dark-mode", Map.of("enabled", false))),
                                null));
        var model = new FlagsViewModel(fake.session, ZoneOffset.UTC);
        model.start();
        model.selectedProperty().set(model.flags().getFirst());
        return model;
    }

    @Test
    void aSelectedFlagShowsItsSettingsAndItsOwnHistoryNewestFirst() {
        var fake = new FakeSession(Role.AUDITOR);
        var model = selected(fake);
        assertThat(fake.server.calls())
                .as("the list once, then the history of the flag selected")
                .extracting(c -> c.endpoint())
                .containsExactly(Endpoint.FLAGS, Endpoint.AUDIT, Endpoint.AUDIT);
        assertThat(fake.server.calls(Endpoint.AUDIT))
                .extracting(c -> c.queryParameters().get("type"))
                .containsExactly("flag.created", "flag.updated");
        assertThat(model.enabledProperty().get()).isTrue();
        assertThat(model.percentageProperty().get()).isEqualTo(25);
        assertThat(model.history())
                .as("only this flag's entries, from both actions")
                .containsExactly("20 Nov 2026 09:00  set off", "19 Nov 2026 10:00  created, on for 10 %");
        assertThat(model.canEditProperty().get()).as("an auditor looks").isFalse();
    }

    @Test
    void supportIsNotShownTheHistoryItMayNotRead() {
        var fake = new FakeSession(Role.SUPPORT);
        var model = selected(fake);
        assertThat(fake.server.calls(Endpoint.AUDIT)).isEmpty();
        assertThat(model.history()).isEmpty();
    }

    @Test
    void theImpactOfAPercentageIsShownBeforeSaving() {
        var fake = new FakeSession(Role.ADMIN);
        var model = selected(fake);
        fake.server.forget();
        fake.server.answer(Endpoint.FLAG_PREVIEW, new FlagPreview(KEY, 25, 40, 3_000, 750, 1_200, 450, 0));
        model.percentageProperty().set(40);
        model.previewImpact();
        var call = fake.server.calls(Endpoint.FLAG_PREVIEW).getFirst();
        assertThat(call.path()).isEqualTo("/api/v1/flags/new-editor/preview");
        assertThat(call.queryParameters()).containsEntry("percentage", "40");
        assertThat(model.impactProperty().get())
                .isEqualTo("At 40 %: on for 1,200 of 3,000 users (now 750); 450 would get it, 0 would lose it.");
        assertThat(fake.server.calls(Endpoint.FLAG_UPDATE)).as("nothing saved").isEmpty();
    }

    @Test
    void savingSendsTheSwitchAndPercentageAtTheVersionEditedAndReadsTheHistoryOnce() {
        var fake = new FakeSession(Role.ADMIN);
        var model = selected(fake);
        fake.server.forget();
        var updated = Views.flag(KEY, true, 40, 5);
        fake.server.answer(Endpoint.FLAG_UPDATE, updated).answer(Endpoint.FLAGS, new Page<>(List.of(updated), null));
        model.percentageProperty().set(40);
        model.save();

        var call = fake.server.calls(Endpoint.FLAG_UPDATE).getFirst();
        assertThat(call.path()).isEqualTo("/api/v1/flags/new-editor");
        assertThat(call.version()).isEqualTo(4);
        assertThat(call.body()).isEqualTo(new FlagRequest(true, 40, null, null));
        assertThat(model.savedProperty().get()).isEqualTo("Saved: new-editor is on for 40 %.");
        assertThat(fake.server.calls(Endpoint.FLAGS))
                .as("the list is read again")
                .hasSize(1);
        assertThat(fake.server.calls(Endpoint.AUDIT))
                .as("the history read again once: one call per action")
                .hasSize(2);
    }

    @Test
    void aFlagChangedMeanwhileIsShownAsItIsNow() {
        var fake = new FakeSession(Role.ADMIN);
        var model = selected(fake);
        fake.server.forget();
        fake.server
                .fail(
                        Endpoint.FLAG_UPDATE,
                        new ApiException(412, "PRECONDITION_FAILED", "the flag changed", null, "req-6", null))
                .answer(Endpoint.FLAGS, new Page<>(List.of(Views.flag(KEY, false, 25, 5)), null));
        model.percentageProperty().set(40);
        model.save();
        assertThat(model.problemProperty().get())
                .isEqualTo("Someone changed new-editor while you were editing it. Its current settings are shown"
                        + " now; make your change again.");
        assertThat(model.enabledProperty().get())
                .as("the kill switch someone else pulled")
                .isFalse();
        assertThat(model.percentageProperty().get()).isEqualTo(25);
        assertThat(model.savedProperty().get()).isEmpty();
    }

    @Test
    void whoGetsItAsksForAUserIdFirstThenSaysWhy() {
        var fake = new FakeSession(Role.SUPPORT);
        var model = selected(fake);
        fake.server.forget();
        model.userIdProperty().set("  ");
        model.whoGetsIt();
        assertThat(model.answerProperty().get()).isEqualTo("Type a user id first.");
        assertThat(fake.server.calls()).isEmpty();

        fake.server.answer(Endpoint.FLAG_EVALUATE, new FlagEvaluation(KEY, Views.ADA.toString(), true, "rollout", 12));
        model.userIdProperty().set(" " + Views.ADA + " ");
        model.whoGetsIt();
        assertThat(fake.server.calls(Endpoint.FLAG_EVALUATE).getFirst().queryParameters())
                .containsEntry("userId", Views.ADA.toString());
        assertThat(model.answerProperty().get())
                .isEqualTo("✔ On for " + Views.ADA + ": their bucket 12 is within the rollout percentage.");

        fake.server.fail(
                Endpoint.FLAG_EVALUATE,
                new ApiException(
                        400, "VALIDATION_ERROR", "userId must be at most 200 characters", "userId", "r", null));
        model.whoGetsIt();
        assertThat(model.problemProperty().get()).isEqualTo("UserId must be at most 200 characters (request r).");
    }
}
