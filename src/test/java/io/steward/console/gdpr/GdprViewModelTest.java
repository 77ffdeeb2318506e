package io.steward.console.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.Endpoint;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprCommands;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The GDPR screen's view model on its own: a fake server, everything on the test's thread. */
class GdprViewModelTest {
    static final UUID REQUEST = UUID.fromString("00000000-0000-4000-8000-0000000000a1");

    final FakeSession fake = new FakeSession(Role.SUPPORT);
    final Clock clock = Clock.fixed(Views.NOW, ZoneOffset.UTC);

    static GdprRequestView request(GdprType type, GdprStatus status, List<GdprAction> actions) {
        return Views.gdprRequest(REQUEST, type, status, actions.toArray(GdprAction[]::new));
    }

    static AuditEntry entry(long minutesAgo, String action) {
        return Views.auditEntry(action, minutesAgo);
    }

    GdprViewModel open(GdprRequestView... queue) {
        fake.server
                .answer(Endpoint.GDPR_REQUESTS, new Page<>(List.of(queue), null))
                .answer(Endpoint.GDPR_TIMELINE, new Page<>(List.of(entry(1, "gdpr.request_opened")), null))
                .answer(Endpoint.USER, Views.ada());
        var model = new GdprViewModel(fake.session, clock);
        model.start();
        return model;
    }

    @Test
    void openingTheScreenLoadsTheQueueOnce() {
        open(request(GdprType.ACCESS, GdprStatus.RECEIVED, List.of()));
        assertThat(fake.server.calls()).extracting(c -> c.endpoint()).containsExactly(Endpoint.GDPR_REQUESTS);
    }

    @Test
    void theQueueShowsOpenRequestsByTimeLeftAndSaysWhoActsNext() {
        var later = Views.gdprRequest(Views.id(11), GdprType.ACCESS, GdprStatus.RECEIVED);
        var sooner = withDeadline(
                Views.gdprRequest(Views.id(12), GdprType.ERASURE, GdprStatus.VERIFIED, GdprAction.APPROVE),
                Views.NOW.plusSeconds(86_400));
        var done = Views.gdprRequest(Views.id(13), GdprType.ACCESS, GdprStatus.COMPLETED);
        var model = open(later, done, sooner);
        assertThat(fake.server.calls(Endpoint.GDPR_REQUESTS).getFirst().queryParameters())
                .as("the work queue: open requests by default")
                .containsEntry("status", "open");
        assertThat(model.requests())
                .extracting(GdprRequestView::id)
                .containsExactly(sooner.id(), later.id(), done.id());
        assertThat(GdprViewModel.waitingForShort(sooner)).isEqualTo("an admin's approval");
        assertThat(GdprViewModel.waitingFor(sooner))
                .isEqualTo("Waiting for: an admin's approval (an admin other than the one who verified it).");
        assertThat(GdprViewModel.waitingForShort(later)).isEqualTo("identity check");
        assertThat(GdprViewModel.waitingFor(done)).isEqualTo("Closed: completed.");
    }

    @Test
    void theBadgeCountsTheRequestsWhoseNextStepIsMine() {
        var mine = Views.gdprRequest(Views.id(21), GdprType.ERASURE, GdprStatus.VERIFIED, GdprAction.APPROVE);
        var notMine =
                Views.gdprRequest(Views.id(22), GdprType.RESTRICTION, GdprStatus.VERIFIED, GdprAction.NOTIFY_RECIPIENT);
        var alsoMine = Views.gdprRequest(
                Views.id(23), GdprType.ACCESS, GdprStatus.RECEIVED, GdprAction.VERIFY, GdprAction.REJECT);
        fake.server.answer(Endpoint.GDPR_REQUESTS, new Page<>(List.of(mine, notMine, alsoMine), null));
        var badge = GdprQueueBadge.follow(fake.session);
        assertThat(badge.get()).isEqualTo("2");
        assertThat(fake.server.calls(Endpoint.GDPR_REQUESTS).getLast().queryParameters())
                .containsEntry("status", "open");

        fake.server.answer(Endpoint.GDPR_REQUESTS, new Page<>(List.of(notMine), null));
        fake.emit("audit", Map.of("action", "gdpr.request_approved"));
        assertThat(badge.get()).as("nothing waits for me: no badge").isEmpty();
        assertThat(GdprQueueBadge.label(List.of(mine), true))
                .as("more than one page")
                .isEqualTo("1+");
    }

    static GdprRequestView withDeadline(GdprRequestView r, java.time.Instant deadline) {
        return new GdprRequestView(
                r.id(),
                r.userId(),
                r.type(),
                r.status(),
                r.receivedAt(),
                r.dueAt(),
                r.extendedUntil(),
                r.extensionReason(),
                deadline,
                r.overdue(),
                r.verifiedBy(),
                r.verifiedAt(),
                r.approvedBy(),
                r.approvedAt(),
                r.completedBy(),
                r.completedAt(),
                r.rejectedReason(),
                r.note(),
                r.evidenceSha256(),
                r.recipients(),
                r.version(),
                r.subjectName(),
                r.subjectEmail(),
                r.waitingFor(),
                r.actions(),
                r.timeline());
    }

    @Test
    void theButtonsAreTheActionsTheServerSentAndNothingElse() {
        var model = open(request(GdprType.ACCESS, GdprStatus.RECEIVED, List.of(GdprAction.VERIFY, GdprAction.REJECT)));
        assertThat(model.requests()).hasSize(1);
        model.selectedProperty().set(model.requests().getFirst());
        assertThat(model.can(GdprAction.VERIFY)).isTrue();
        assertThat(model.can(GdprAction.REJECT)).isTrue();
        assertThat(model.can(GdprAction.COMPLETE))
                .as("the console keeps no lifecycle rules of its own")
                .isFalse();
        assertThat(model.timeline()).extracting(AuditEntry::action).containsExactly("gdpr.request_opened");
        assertThat(model.detailsProperty().get())
                .contains("Subject: Ada Lovelace <ada@example.org>", "Received: 17 Nov 2026", "(27 days left)");
    }

    @Test
    void aStepIsOneCallWhoseAnswerBringsTheRequestAndItsHistory() {
        var model = open(request(GdprType.ACCESS, GdprStatus.RECEIVED, List.of(GdprAction.VERIFY)));
        model.selectedProperty().set(model.requests().getFirst());
        fake.server.forget();
        var verified = request(GdprType.ACCESS, GdprStatus.VERIFIED, List.of(GdprAction.COMPLETE))
                .withTimeline(List.of(entry(5, "gdpr.request_opened"), entry(1, "gdpr.request_verified")));
        fake.server.answer(Endpoint.GDPR_VERIFY, verified);

        model.textProperty().set("  passport seen on video call ");
        model.step(GdprAction.VERIFY);

        assertThat(fake.server.calls())
                .as("one request for one step")
                .extracting(c -> c.endpoint())
                .containsExactly(Endpoint.GDPR_VERIFY);
        var sent = fake.server.calls().getFirst();
        assertThat(sent.path()).isEqualTo("/api/v1/gdpr/requests/" + REQUEST + "/verify");
        assertThat(sent.body()).isEqualTo(new GdprCommands.Verify("passport seen on video call"));
        assertThat(model.requests().getFirst().status()).isEqualTo(GdprStatus.VERIFIED);
        assertThat(model.timeline())
                .extracting(AuditEntry::action)
                .containsExactly("gdpr.request_opened", "gdpr.request_verified");
        assertThat(model.can(GdprAction.COMPLETE)).isTrue();
        assertThat(model.doneProperty().get()).isEqualTo("Access request is now verified.");
        assertThat(model.textProperty().get()).isEmpty();
    }

    @Test
    void aReasonIsAskedForBeforeAnythingIsSent() {
        var model = open(request(GdprType.ACCESS, GdprStatus.RECEIVED, List.of(GdprAction.REJECT, GdprAction.EXTEND)));
        model.selectedProperty().set(model.requests().getFirst());
        fake.server.forget();
        model.step(GdprAction.REJECT);
        model.step(GdprAction.EXTEND);
        assertThat(model.problemProperty().get()).isEqualTo("Write the reason first: the subject is told it.");
        assertThat(fake.server.calls()).isEmpty();
    }

    @Test
    void anErasureIsCompletedOnlyAfterTheSubjectsAddressIsTyped() {
        var model = open(request(GdprType.ERASURE, GdprStatus.APPROVED, List.of(GdprAction.COMPLETE)));
        model.selectedProperty().set(model.requests().getFirst());
        fake.server.forget();
        model.step(GdprAction.COMPLETE);
        assertThat(model.problemProperty().get())
                .isEqualTo("Type the subject's e-mail address to confirm the erasure.");
        assertThat(fake.server.calls()).isEmpty();

        fake.server.answer(
                Endpoint.GDPR_COMPLETE,
                request(GdprType.ERASURE, GdprStatus.COMPLETED, List.of()).withTimeline(List.of()));
        model.confirmationProperty().set(" ADA@example.org ");
        model.step(GdprAction.COMPLETE);
        assertThat(fake.server.calls(Endpoint.GDPR_COMPLETE)).hasSize(1);
        assertThat(fake.server.calls(Endpoint.USER))
                .as("the subject is read again: an erasure anonymised them")
                .hasSize(1);
        assertThat(model.doneProperty().get()).isEqualTo("Erasure request is now completed.");
    }

    @Test
    void completeTurnsOnOnlyWhenTheTypedAddressIsTheSubjects() {
        var model = open(request(GdprType.ERASURE, GdprStatus.APPROVED, List.of(GdprAction.COMPLETE)));
        model.selectedProperty().set(model.requests().getFirst());
        assertThat(model.completeAllowed()).isFalse();
        assertThat(model.confirmationHint()).isEqualTo("Type ada@example.org to turn on Complete.");
        model.confirmationProperty().set("ada@example.com");
        assertThat(model.completeAllowed()).isFalse();
        assertThat(model.confirmationHint()).isEqualTo("That is not Ada Lovelace's address (ada@example.org).");
        model.confirmationProperty().set(" Ada@Example.org ");
        assertThat(model.completeAllowed()).isTrue();
        assertThat(model.confirmationHint()).isEqualTo("✔ That is Ada Lovelace's address: Complete erases them now.");
    }

    @Test
    void whatTheServerRefusesIsShownInItsWords() {
        var model = open(request(GdprType.ERASURE, GdprStatus.VERIFIED, List.of(GdprAction.APPROVE)));
        model.selectedProperty().set(model.requests().getFirst());
        fake.server.fail(
                Endpoint.GDPR_APPROVE,
                new ApiException(403, "FORBIDDEN", "four eyes: you verified this request", null, "req-1", null));
        model.step(GdprAction.APPROVE);
        assertThat(model.problemProperty().get()).isEqualTo("Four eyes: you verified this request (request req-1).");
        assertThat(model.busyProperty().get()).isFalse();
        assertThat(model.requests().getFirst().status()).isEqualTo(GdprStatus.VERIFIED);
    }

    @Test
    void someoneElsesStepReloadsTheQueueWithoutARefresh() {
        var model = open(request(GdprType.ACCESS, GdprStatus.RECEIVED, List.of(GdprAction.VERIFY)));
        fake.server.answer(
                Endpoint.GDPR_REQUESTS,
                new Page<>(List.of(request(GdprType.ACCESS, GdprStatus.VERIFIED, List.of())), null));
        assertThat(fake.callsAfterAudit("gdpr.request_verified", Endpoint.GDPR_REQUESTS))
                .isEqualTo(1);
        assertThat(model.requests().getFirst().status()).isEqualTo(GdprStatus.VERIFIED);
        assertThat(fake.callsAfterAudit("flag.updated", Endpoint.GDPR_REQUESTS))
                .as("other features' events leave the queue alone")
                .isZero();
    }

    @Test
    void theFiltersGoToTheServerAsWireNames() {
        var model = open();
        fake.server.forget();
        model.statusProperty().set("verified");
        model.typeProperty().set("erasure");
        model.overdueOnlyProperty().set(true);
        var last = fake.server.calls(Endpoint.GDPR_REQUESTS).getLast();
        assertThat(last.queryParameters())
                .containsEntry("status", "verified")
                .containsEntry("type", "erasure")
                .containsEntry("overdue", "true");
    }
}
