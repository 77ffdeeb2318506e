package io.steward.console.testsupport;

import io.steward.server.api.AlertAction;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupView;
import io.steward.server.api.ComplianceReport;
import io.steward.server.api.FlagView;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.GdprWaitingFor;
import io.steward.server.api.HealthReport;
import io.steward.server.api.Role;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What a fake server answers with in view-model unit tests: the API's records with plausible values. */
public final class Views {
    /** The moment the tests' clocks stand at. */
    public static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    public static final UUID ADA = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private Views() {}

    /** The {@code n}th id of a test: {@code 00000000-0000-4000-8000-00000000000n} and so on. */
    public static UUID id(int n) {
        return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n));
    }

    /** Ada Lovelace, a student, with her contact details. */
    public static UserDetail ada() {
        return new UserDetail(
                ADA,
                "ada@example.org",
                "Ada Lovelace",
                Role.STUDENT,
                true,
                true,
                NOW.minusSeconds(400 * 86_400L),
                NOW.minusSeconds(86_400),
                null,
                3,
                null,
                false,
                false,
                true,
                "+44 20 7946 0001",
                "12 St James's Square",
                "London",
                "SW1Y 4JH",
                "GB",
                LocalDate.of(1954, 7, 25),
                new UserDetail.Counts(2, 1, 4, 3, 1, 9));
    }

    /** A user as lists show them: {@code name}'s first name at example.org, joined a year ago. */
    public static UserView user(UUID id, String name, Role role) {
        String email = name.split(" ")[0].toLowerCase(java.util.Locale.ROOT) + "@example.org";
        Instant joined = NOW.minusSeconds(365 * 86_400L);
        return new UserView(id, email, name, role, true, true, joined, joined, null, 1);
    }

    /** A request of Ada's received three days ago, due in a month, allowing {@code actions}. */
    public static GdprRequestView gdprRequest(UUID id, GdprType type, GdprStatus status, GdprAction... actions) {
        Instant received = NOW.minusSeconds(3 * 86_400L);
        Instant due = received.plusSeconds(30 * 86_400L);
        return new GdprRequestView(
                id,
                ADA,
                type,
                status,
                received,
                due,
                null,
                null,
                due,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                1,
                "Ada Lovelace",
                "ada@example.org",
                switch (status) {
                    case RECEIVED -> GdprWaitingFor.IDENTITY_CHECK;
                    case VERIFIED -> type == GdprType.ERASURE ? GdprWaitingFor.APPROVAL : GdprWaitingFor.COMPLETION;
                    case APPROVED -> GdprWaitingFor.COMPLETION;
                    case COMPLETED, REJECTED -> null;
                },
                List.of(actions),
                null);
    }

    /** An audit entry about Ada by a support person, {@code minutesAgo} before {@link #NOW}. */
    public static AuditEntry auditEntry(String action, long minutesAgo) {
        return auditEntry(action, minutesAgo, Map.of());
    }

    /** As {@link #auditEntry(String, long)}, recording {@code details}. */
    public static AuditEntry auditEntry(String action, long minutesAgo, Map<String, Object> details) {
        return new AuditEntry(
                UUID.nameUUIDFromBytes((action + minutesAgo).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                NOW.minusSeconds(60 * minutesAgo),
                UUID.fromString("00000000-0000-4000-8000-0000000000aa"),
                action,
                ADA,
                "req-" + minutesAgo,
                details,
                "hash-" + minutesAgo,
                "Sam support");
    }

    /**
     * A scheduled backup started {@code minutesAgo} before {@link #NOW}, in {@code status}: a
     * completed one holds two tables and 1,234 rows and has not been restore-tested.
     */
    public static BackupView backup(UUID id, BackupStatus status, long minutesAgo, BackupAction... actions) {
        boolean completed = status == BackupStatus.COMPLETED;
        Instant started = NOW.minusSeconds(60 * minutesAgo);
        return new BackupView(
                id,
                status,
                "schedule",
                started,
                status == BackupStatus.RUNNING ? null : started.plusSeconds(4),
                status == BackupStatus.RUNNING ? null : 4_000L,
                null,
                completed ? "steward-" + minutesAgo + ".tar.zst" : null,
                completed ? 2_500_000L : null,
                completed ? 2 : null,
                completed ? 1_234L : null,
                completed ? "42" : null,
                completed ? "sha-" + minutesAgo : null,
                status == BackupStatus.FAILED ? "disk full" : null,
                false,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(actions));
    }

    /** {@code backup} as a restore test {@code minutesAgo} before {@link #NOW} left it: passed, or failed for {@code reason}. */
    public static BackupView restoreTested(BackupView backup, long minutesAgo, @Nullable String reason) {
        return new BackupView(
                backup.id(),
                backup.status(),
                backup.trigger(),
                backup.createdAt(),
                backup.completedAt(),
                backup.durationMs(),
                backup.createdBy(),
                backup.fileName(),
                backup.sizeBytes(),
                backup.tables(),
                backup.rows(),
                backup.schemaVersion(),
                backup.checksum(),
                backup.error(),
                reason == null,
                NOW.minusSeconds(60 * minutesAgo),
                ADA,
                reason,
                null,
                backup.contents(),
                backup.actions());
    }

    /** The flag {@code key} at {@code version}, created a month before {@link #NOW}, changed an hour before. */
    public static FlagView flag(String key, boolean enabled, int percentage, long version) {
        return new FlagView(
                key,
                enabled,
                percentage,
                "The " + key + " feature",
                FlagView.Rules.NONE,
                NOW.minusSeconds(30 * 86_400L),
                NOW.minusSeconds(3_600),
                ADA,
                version);
    }

    /** A report of {@code type} over the days given, by an auditor, with one section of {@code figures}. */
    public static ComplianceReport report(
            String type, String title, LocalDate from, LocalDate to, ComplianceReport.Figure... figures) {
        return new ComplianceReport(
                type,
                title,
                new ComplianceReport.Period(from, to),
                new ComplianceReport.Coverage(
                        ComplianceReport.CoverageStatus.FULL,
                        from.minusDays(30)
                                .atStartOfDay(java.time.ZoneOffset.UTC)
                                .toInstant(),
                        from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        to.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        java.time.Duration.between(
                                        from.atStartOfDay(), to.plusDays(1).atStartOfDay())
                                .toSeconds(),
                        java.time.Duration.between(
                                        from.atStartOfDay(), to.plusDays(1).atStartOfDay())
                                .toSeconds(),
                        "The whole period is covered."),
                List.of(new ComplianceReport.Section("s1", "Access requests", "Art. 15", List.of(figures), List.of())),
                "5ha256",
                new ComplianceReport.Generation(
                        id(9),
                        NOW,
                        new ComplianceReport.GeneratedBy(id(8), "auditor@steward.test", "Sam auditor", "auditor"),
                        "1.0.0",
                        "k-2026",
                        null,
                        "c2lnbmVk"));
    }

    /** A health report of {@code status} at {@link #NOW}: {@code checks} alternate names and checks. */
    public static HealthReport health(String status, Object... checks) {
        var named = new java.util.LinkedHashMap<String, HealthReport.Check>();
        for (int i = 0; i < checks.length; i += 2) {
            named.put((String) checks[i], (HealthReport.Check) checks[i + 1]);
        }
        return new HealthReport(status, NOW, named, Map.of());
    }

    /** One health check of {@code status} that took {@code latencyMs}. */
    public static HealthReport.Check check(String status, long latencyMs, boolean essential) {
        return new HealthReport.Check(status, latencyMs, essential, Map.of());
    }

    /** A rule on {@code metric > threshold} held for a minute, allowing {@code actions}. */
    public static AlertRuleView rule(String name, String metric, double threshold, AlertRuleAction... actions) {
        return new AlertRuleView(
                UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                name,
                metric,
                ">",
                threshold,
                60,
                "critical",
                "When " + metric + " is too high",
                true,
                NOW.minusSeconds(86_400),
                NOW.minusSeconds(86_400),
                1,
                List.of(actions));
    }

    /** An alert of {@code rule} in {@code state}, started {@code minutesAgo}. */
    public static AlertView alert(AlertRuleView rule, AlertState state, long minutesAgo, AlertAction... actions) {
        Instant started = NOW.minusSeconds(60 * minutesAgo);
        return new AlertView(
                UUID.nameUUIDFromBytes(
                        (rule.name() + state + minutesAgo).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                rule.id(),
                rule.name(),
                rule.metric(),
                rule.op(),
                rule.threshold(),
                rule.severity(),
                rule.description(),
                state,
                rule.threshold() + 1,
                started,
                state == AlertState.PENDING ? null : started.plusSeconds(rule.forSeconds()),
                state == AlertState.PENDING ? null : rule.threshold() + 1,
                state == AlertState.RESOLVED ? NOW : null,
                null,
                false,
                null,
                List.of(actions));
    }
}
