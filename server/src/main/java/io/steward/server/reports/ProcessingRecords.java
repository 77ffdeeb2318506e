package io.steward.server.reports;

import io.steward.server.gdpr.RetentionService;
import java.util.List;
import java.util.Optional;

/**
 * The register of processing activities (GDPR Art. 30(1)) for the platform data Steward
 * administers: purposes, data subjects, categories of personal data, legal basis, where the data
 * lives, and how long it is kept. Retention comes from the server's configured policies where one
 * applies, so the register says what is enforced.
 */
final class ProcessingRecords {
    private ProcessingRecords() {}

    /** One processing activity; {@code retention} is used when no configured policy covers its tables. */
    record Activity(
            String purpose,
            String subjects,
            String categories,
            String legalBasis,
            List<String> tables,
            String retention) {}

    static final List<Activity> ACTIVITIES = List.of(
            new Activity(
                    "Learner and instructor accounts",
                    "students, instructors",
                    "name, e-mail, phone, postal address, date of birth, account status",
                    "contract (Art. 6(1)(b))",
                    List.of("users"),
                    "while the account exists; anonymised on erasure"),
            new Activity(
                    "Course delivery and progress",
                    "students, instructors",
                    "programme enrolments, progress, completion",
                    "contract (Art. 6(1)(b))",
                    List.of("enrollments", "programs"),
                    "while the account exists; anonymised on erasure"),
            new Activity(
                    "Communications with learners",
                    "students, instructors",
                    "messages sent, e-mail delivery records",
                    "contract; consent for marketing (Art. 6(1)(a))",
                    List.of("communications", "email_logs"),
                    "while the account exists"),
            new Activity(
                    "Security of the platform",
                    "students, instructors, staff",
                    "sessions, sign-in attempts, IP addresses, user agents",
                    "legitimate interest in security (Art. 6(1)(f))",
                    List.of("user_sessions", "login_attempts"),
                    "while the account exists"),
            new Activity(
                    "Accountability: the audit trail",
                    "staff; subjects of recorded actions",
                    "who did what to which account and when; personal values encrypted per subject",
                    "legal obligation (Art. 5(2), 30, 32)",
                    List.of("audit_log"),
                    "kept; personal values unreadable once the subject is erased"),
            new Activity(
                    "Compliance reports as generated",
                    "staff; accounts whose role was changed",
                    "who generated each report and when; staff names, e-mails and roles; the e-mails of"
                            + " accounts whose role was changed in the period",
                    "legal obligation (Art. 5(2), 30, 32)",
                    List.of("report_snapshots"),
                    "kept as generated: the evidence handed to auditors, not rewritten by a later erasure"),
            new Activity(
                    "Data-subject requests",
                    "students, instructors",
                    "request type, dates, handling staff, evidence hashes",
                    "legal obligation (Art. 12-22)",
                    List.of("gdpr_requests", "gdpr_request_recipients"),
                    "kept as evidence of compliance"),
            new Activity(
                    "Staff access to the console",
                    "staff (support, auditor, admin)",
                    "name, e-mail, role, sign-in times, session token hashes",
                    "legitimate interest in access control (Art. 6(1)(f))",
                    List.of("users", "staff_tokens"),
                    "while employed; sessions end after 8 hours idle"));

    /** The retention in force for {@code activity}: configured policies of its tables, or its default. */
    static String retentionOf(Activity activity, List<RetentionService.Policy> policies) {
        List<String> configured = activity.tables().stream()
                .flatMap(table -> policies.stream().filter(p -> p.table().equals(table)))
                .map(p -> p.table() + ": " + p.days() + " days")
                .toList();
        return Optional.of(configured)
                .filter(c -> !c.isEmpty())
                .map(c -> String.join("; ", c) + " (configured, removed daily)")
                .orElse(activity.retention());
    }
}
