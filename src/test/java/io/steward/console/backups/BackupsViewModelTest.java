package io.steward.console.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.RestoreDrillStatus;
import io.steward.server.api.RestoreTestView;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Backups screen's view model on its own: a fake server, everything on the test's thread. */
class BackupsViewModelTest {
    static final UUID BACKUP = Views.id(1);
    static final UUID FAILED = Views.id(2);
    static final long DAY = 86_400;

    final FakeSession fake = new FakeSession(Role.ADMIN);
    final Clock clock = Clock.fixed(Views.NOW, ZoneOffset.UTC);

    static BackupView completed() {
        return Views.backup(BACKUP, BackupStatus.COMPLETED, 60, BackupAction.VERIFY);
    }

    /** A drill every 7 days, the last one a day ago and passed, next due at {@code next}. */
    static RestoreDrillStatus drill(Instant next, double unprovenDays) {
        var last = new RestoreTestView(
                Views.id(9),
                BACKUP,
                "drill",
                Views.NOW.minusSeconds(DAY),
                3_200L,
                Views.NOW.minusSeconds(DAY + 3_600),
                true,
                null);
        return new RestoreDrillStatus(
                "7d", next, last, Views.NOW.minusSeconds(DAY), Views.NOW.minusSeconds(3_600), unprovenDays);
    }

    BackupsViewModel open(BackupView... backups) {
        fake.server
                .answer(Endpoint.BACKUPS, new Page<>(List.of(backups), null))
                .answer(Endpoint.BACKUP_DRILL, drill(Views.NOW.plusSeconds(2 * DAY), 1));
        var model = new BackupsViewModel(fake.session, clock);
        model.start();
        return model;
    }

    @Test
    void theListSaysWhatTheNewestBackupProvedAndWhyAFailedOneFailed() {
        var model = open(Views.restoreTested(completed(), 30, null), Views.backup(FAILED, BackupStatus.FAILED, 600));
        assertThat(fake.server.calls())
                .as("the list and the drill, once each")
                .extracting(c -> c.endpoint())
                .containsExactlyInAnyOrder(Endpoint.BACKUPS, Endpoint.BACKUP_DRILL);
        assertThat(fake.server.calls(Endpoint.BACKUPS).getFirst().queryParameters())
                .containsEntry("limit", "100");
        assertThat(model.summaryProperty().get())
                .isEqualTo("Last completed backup: 20 Nov 2026 09:00, restore-tested ✔");
        assertThat(model.details(model.backups().get(0)))
                .isEqualTo(
                        "steward-60.tar.zst — 2.5 MB, 2 tables, 1,234 rows. Restore test passed on 20 Nov 2026 09:30.");
        assertThat(model.details(model.backups().get(1))).isEqualTo("✖ This backup failed: disk full.");
        assertThat(BackupsViewModel.restoreTest(model.backups().get(1))).isEqualTo("—");
    }

    @Test
    void verifyingIsOneSlowCancellableCallWhoseVerdictIsShownInWords() {
        var model = open(completed());
        model.selectedProperty().set(model.backups().getFirst());
        fake.server.forget();
        fake.server.answer(
                Endpoint.BACKUP_VERIFY,
                new BackupVerification(
                        BACKUP,
                        true,
                        Views.NOW,
                        3_200,
                        null,
                        List.of(
                                new BackupVerification.TableCheck("users", 1_000, 1_000, true),
                                new BackupVerification.TableCheck("audit_log", 234, 234, true)),
                        0));

        model.verifySelected();

        var sent = fake.server.calls(Endpoint.BACKUP_VERIFY);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().path()).isEqualTo("/api/v1/backups/" + BACKUP + "/verify");
        assertThat(sent.getFirst().isSlow())
                .as("a restore test may take minutes")
                .isTrue();
        assertThat(sent.getFirst().cancellation()).isNotNull();
        assertThat(model.verdictProperty().get())
                .isEqualTo("✔ Restore test passed: 2 tables, 1,234 rows restored and identical to the backup (3.2 s).");
        assertThat(fake.server.calls(Endpoint.BACKUPS))
                .as("the list is read again for the verdict it now records")
                .hasSize(1);
        assertThat(model.busyProperty().get()).isFalse();
    }

    @Test
    void nothingIsVerifiedWithoutASelection() {
        var model = open(completed());
        fake.server.forget();
        model.verifySelected();
        assertThat(fake.server.calls()).isEmpty();
    }

    @Test
    void stoppingTheWaitSaysTheServerStillRecordsTheVerdict() {
        var model = open(completed());
        model.selectedProperty().set(model.backups().getFirst());
        fake.server.cancelledBy(Endpoint.BACKUP_VERIFY, model::cancel);
        model.verifySelected();
        assertThat(model.progressProperty().get())
                .isEqualTo(
                        "Stopped waiting. The server finishes the restore test and records its verdict in the list.");
        assertThat(model.verdictProperty().get()).isEmpty();
        assertThat(model.problemProperty().get()).as("not a failure").isEmpty();
        assertThat(model.busyProperty().get()).isFalse();
    }

    @Test
    void aBackupBeingWrittenIsLookedAtEachSecondUntilItIsDone() {
        var model = open(completed());
        fake.server.forget();
        var running = Views.backup(Views.id(3), BackupStatus.RUNNING, 0);
        fake.server
                .answer(Endpoint.BACKUP_START, running)
                .answer(Endpoint.BACKUPS, new Page<>(List.of(running, completed()), null));

        model.backUpNow();

        assertThat(fake.server.calls(Endpoint.BACKUP_START)).hasSize(1);
        assertThat(fake.server.calls(Endpoint.BACKUP_START).getFirst().body()).isEqualTo(Map.of());
        assertThat(model.verdictProperty().get())
                .isEqualTo("Backup started at 20 Nov 2026 10:00; it is listed below while it is written.");
        assertThat(model.summaryProperty().get()).isEqualTo("A backup is being written…");

        fake.server.forget();
        fake.server.answer(
                Endpoint.BACKUPS,
                new Page<>(List.of(Views.backup(Views.id(3), BackupStatus.COMPLETED, 0), completed()), null));
        fake.second(Views.NOW, Map.of("http.requests.rate", 1));
        assertThat(fake.server.calls(Endpoint.BACKUPS)).hasSize(1);
        assertThat(model.summaryProperty().get())
                .isEqualTo("Last completed backup: 20 Nov 2026 10:00, not restore-tested yet");
        fake.second(Views.NOW.plusSeconds(1), Map.of("http.requests.rate", 1));
        assertThat(fake.server.calls(Endpoint.BACKUPS))
                .as("nothing is being written: no more looking")
                .hasSize(1);
    }

    @Test
    void whatTheServerRefusesIsShownInItsWords() {
        var model = open(completed());
        fake.server.fail(
                Endpoint.BACKUP_START,
                new ApiException(409, "CONFLICT", "a backup is already running", null, "req-9", null));
        model.backUpNow();
        assertThat(model.problemProperty().get()).isEqualTo("A backup is already running (request req-9).");
        assertThat(model.busyProperty().get()).isFalse();
        assertThat(model.verdictProperty().get()).isEmpty();
    }

    @Test
    void anotherInstancesBackupEventReloadsTheListWithoutARefresh() {
        var model = open(completed());
        fake.server.answer(Endpoint.BACKUPS, new Page<>(List.of(Views.restoreTested(completed(), 1, null)), null));
        assertThat(fake.callsAfterAudit("backup.verified", Endpoint.BACKUPS)).isEqualTo(1);
        assertThat(BackupsViewModel.restoreTest(model.backups().getFirst())).isEqualTo("✔ passed");
        assertThat(fake.callsAfterAudit("flag.updated", Endpoint.BACKUPS))
                .as("other features' events leave the list alone")
                .isZero();
    }

    @Test
    void theDrillSaysWhenItIsNextDueByTheClockAndWarnsWhenNothingWasProvenForAWeek() {
        var model = open(completed());
        assertThat(model.drillProperty().get())
                .isEqualTo("Restore drill: every 7 days · next due 22 Nov 2026 10:00.\n"
                        + "Last drill 19 Nov 2026 10:00: ✔ restored in 3.2 s, data as of 19 Nov 2026 09:00"
                        + " (the recovery point).\n"
                        + "Last proven by a restore: 1 day ago.");
        assertThat(model.drillWarningProperty().get()).isFalse();

        fake.server.answer(Endpoint.BACKUP_DRILL, drill(Views.NOW.plusSeconds(30), 9.4));
        model.refresh();
        assertThat(model.drillProperty().get())
                .startsWith("Restore drill: every 7 days · due now (the server looks every hour).\n")
                .endsWith("\n⚠ No backup proven by a restore for 9 days: the BackupNotProven alert is firing."
                        + " Verify a backup now.");
        assertThat(model.drillWarningProperty().get()).isTrue();

        fake.server.fail(Endpoint.BACKUP_DRILL, new ApiException(503, "UNAVAILABLE", "database away", null, "", null));
        model.refresh();
        assertThat(model.drillProperty().get()).startsWith("Restore drill: could not be loaded (Database away.");
        assertThat(model.drillWarningProperty().get()).isTrue();
    }

    @Test
    void onlyAnAdminIsOfferedTheActions() {
        assertThat(open().canActProperty().get()).isTrue();
        var auditor = new FakeSession(Role.AUDITOR);
        assertThat(new BackupsViewModel(auditor.session, clock).canActProperty().get())
                .isFalse();
    }
}
