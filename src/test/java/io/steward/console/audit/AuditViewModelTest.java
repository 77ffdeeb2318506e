package io.steward.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The Audit log screen's view model on its own: a fake server, everything on the test's thread. */
class AuditViewModelTest {
    final FakeSession fake = new FakeSession(Role.AUDITOR);
    final AuditViewModel model = new AuditViewModel(fake.session, ZoneId.of("Europe/Paris"));

    static Page<AuditEntry> page(@Nullable String next, AuditEntry... entries) {
        return new Page<>(List.of(entries), next);
    }

    static AuditVerification verification(boolean valid, @Nullable UUID broken, long checkpoints) {
        return new AuditVerification(
                valid, 1_234, broken, "full", 1, 1_234, checkpoints, null, null, valid ? List.of() : List.of("x"));
    }

    @Test
    void theNewestEntriesAreListedAPageAtATime() {
        fake.server.answer(
                Endpoint.AUDIT,
                page("cursor-1", Views.auditEntry("user.updated", 1), Views.auditEntry("auth.login", 2)));
        model.start();
        assertThat(fake.server.calls(Endpoint.AUDIT))
                .singleElement()
                .satisfies(call -> assertThat(call.queryParameters())
                        .as("no filter: only the page size")
                        .containsExactly(Map.entry("limit", "100")));
        assertThat(model.summaryProperty().get()).isEqualTo("2 entries shown, more below");
        assertThat(model.moreProperty().get()).isTrue();

        fake.server.forget();
        fake.server.answer(Endpoint.AUDIT, page(null, Views.auditEntry("auth.logout", 3)));
        model.loadMore();
        assertThat(fake.server.calls().getFirst().queryParameters()).containsEntry("cursor", "cursor-1");
        assertThat(model.entries())
                .extracting(AuditEntry::action)
                .containsExactly("user.updated", "auth.login", "auth.logout");
        assertThat(model.summaryProperty().get()).isEqualTo("3 entries shown");
        assertThat(model.moreProperty().get()).isFalse();
        model.loadMore();
        assertThat(fake.server.calls()).as("no page after the last").hasSize(1);
    }

    @Test
    void theFiltersGoToTheServerWithDaysAsTheirBoundsInTheConsolesZone() {
        fake.server.answer(Endpoint.AUDIT, page(null));
        UUID actor = Views.id(5);
        model.actionProperty().set(" gdpr.request_opened ");
        model.actorProperty().set(" " + actor + " ");
        model.subjectProperty().set(Views.ADA.toString());
        model.fromProperty().set(LocalDate.of(2026, 11, 1));
        model.toProperty().set(LocalDate.of(2026, 11, 19));
        model.apply();
        assertThat(fake.server.calls(Endpoint.AUDIT).getLast().queryParameters())
                .containsEntry("type", "gdpr.request_opened")
                .containsEntry("actorId", actor.toString())
                .containsEntry("subjectId", Views.ADA.toString())
                .containsEntry("from", "2026-10-31T23:00:00Z")
                .containsEntry("to", "2026-11-19T23:00:00Z");
        assertThat(model.summaryProperty().get()).isEqualTo("No entries match.");

        fake.server.forget();
        model.clear();
        assertThat(fake.server.calls(Endpoint.AUDIT))
                .singleElement()
                .satisfies(call -> assertThat(call.queryParameters()).containsOnlyKeys("limit"));
    }

    @Test
    void aFilterThatCannotBeAskedForIsExplainedAndNothingIsSent() {
        model.actorProperty().set("Sam support");
        model.apply();
        assertThat(model.problemProperty().get())
                .isEqualTo("Actor must be a full id, such as 3f2c1a9e-5b7d-4c1e-9a2b-0c4d5e6f7a8b (copy it from an"
                        + " entry's details).");

        model.actorProperty().set("");
        model.fromProperty().set(LocalDate.of(2026, 11, 20));
        model.toProperty().set(LocalDate.of(2026, 11, 1));
        model.apply();
        assertThat(model.problemProperty().get()).isEqualTo("The first day is after the last day.");
        assertThat(fake.server.calls()).isEmpty();
    }

    @Test
    void theChainCheckIsOneSlowCancellableCallWhoseVerdictIsSaidInWords() {
        fake.server.answer(Endpoint.AUDIT_VERIFY, verification(true, null, 3));
        model.verifyChain();
        var call = fake.server.calls(Endpoint.AUDIT_VERIFY).getFirst();
        assertThat(call.isSlow()).isTrue();
        assertThat(call.cancellation()).isNotNull();
        assertThat(model.verdictProperty().get())
                .isEqualTo("✔ The audit chain is intact: 1,234 entries checked, none changed, removed or inserted,"
                        + " and every signed checkpoint matches.");

        UUID broken = Views.id(77);
        fake.server.answer(Endpoint.AUDIT_VERIFY, verification(false, broken, 3));
        model.verifyChain();
        assertThat(model.verdictProperty().get())
                .isEqualTo("✖ The audit chain is broken at entry " + broken + " (after 1,234 entries): it or the one"
                        + " before it was changed, removed or inserted outside Steward.");
        assertThat(model.verifyingProperty().get()).isFalse();
    }

    @Test
    void aCancelledCheckSaysTheChainWasNotChecked() {
        fake.server.cancelledBy(Endpoint.AUDIT_VERIFY, model::cancelVerify);
        model.verifyChain();
        assertThat(model.verifyProgressProperty().get()).isEqualTo("Cancelled: the chain was not checked.");
        assertThat(model.verdictProperty().get()).isEmpty();
        assertThat(model.problemProperty().get()).isEmpty();
    }

    @Test
    void whatTheServerRefusesIsShownInItsWords() {
        fake.server.fail(
                Endpoint.AUDIT,
                new ApiException(400, "VALIDATION_ERROR", "unknown action type", "type", "req-8", null));
        model.actionProperty().set("gdpr.nonsense");
        model.apply();
        assertThat(model.problemProperty().get()).isEqualTo("Unknown action type (request req-8).");
    }

    @Test
    void anEntrysDetailsSayWhatWhenWhoAndTheRecordedChange() {
        var entry = new AuditEntry(
                Views.id(3),
                Views.NOW,
                Views.id(4),
                "flag.updated",
                null,
                "req-1",
                Map.of("key", "new-editor", "after", Map.of("enabled", true)),
                "abc123",
                "Sam admin");
        assertThat(model.details(entry))
                .startsWith("flag.updated at 20 Nov 2026 11:00:00\n"
                        + "actor: Sam admin (" + Views.id(4) + ")\n"
                        + "subject: —\n"
                        + "request: req-1\n"
                        + "hash: abc123\n\n{")
                .contains("\"key\" : \"new-editor\"");
        assertThat(model.details(null)).isEqualTo("Select an entry to see its details.");
    }
}
