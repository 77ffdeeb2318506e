package io.steward.server.gdpr;

import io.steward.server.access.Principal;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprCommands;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.db.Tx;
import io.steward.server.error.ServiceException;
import io.steward.server.users.LastAdmin;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Data-subject requests (GDPR Art. 12, 15–18, 20) from receipt to answer.
 *
 * <p>States: {@code received → verified → (approved, erasure only) → completed}, or
 * {@code rejected} from any open state. An answer is due one calendar month after receipt
 * (Art. 12(3)); it may be extended once, by one or two months, with a reason, before the first
 * month ends. Erasure needs a second person: an admin other than the one who verified the
 * subject's identity (four eyes). Rectification, erasure and restriction must be passed on to
 * every recipient of the data (Art. 19) before the request can complete. Every step is audited
 * with its actor and reason.
 */
public final class GdprService {

    private final Database db;
    private final GdprRepository requests;
    private final SubjectExportService exports;
    private final ErasureRepository erasure;
    private final ErasureLedgerService ledger;
    private final io.steward.server.users.UserRepository users;
    private final SubjectKeyRepository keys;
    private final AuditService audit;
    private final Clock clock;
    private final List<String> recipients;

    public GdprService(
            Database db,
            GdprRepository requests,
            SubjectExportService exports,
            ErasureRepository erasure,
            ErasureLedgerService ledger,
            io.steward.server.users.UserRepository users,
            SubjectKeyRepository keys,
            AuditService audit,
            Clock clock,
            List<String> recipients) {
        this.db = db;
        this.requests = requests;
        this.exports = exports;
        this.erasure = erasure;
        this.ledger = ledger;
        this.users = users;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.recipients = List.copyOf(recipients);
    }

    /** Records a request received now; it is due one calendar month later. */
    public GdprRequestView open(Principal actor, GdprCommands.Open command, String requestId) {
        UUID userId = uuid("userId", command.userId());
        GdprType type = type(command.type());
        String note = optionalText("note", command.note(), 2_000);
        Instant received = clock.instant();
        Instant due = received.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        UUID id = UUID.randomUUID();
        return db.inTransaction(tx -> {
            if (!exports.subjectExists(tx, userId)) {
                throw new ServiceException.Validation("userId", "no user with id " + userId);
            }
            staffRules(tx, actor, type, userId);
            requests.insert(tx, id, userId, type, received, due, note, actor.userId());
            if (type.notifiesRecipients()) {
                for (String recipient : recipients) {
                    requests.addRecipient(tx, id, recipient);
                }
            }
            record(
                    tx,
                    actor,
                    "gdpr.request_opened",
                    id,
                    userId,
                    requestId,
                    Map.of("type", type.wireName(), "dueAt", due.toString()),
                    note == null ? Map.of() : Map.of("note", note));
            return view(tx, actor, id);
        });
    }

    public GdprRequestView get(Principal reader, UUID id) {
        return db.read(tx -> view(tx, reader, id));
    }

    /** The most audit entries a request's timeline shows; a request has a handful of steps. */
    static final int TIMELINE_LIMIT = 200;

    /**
     * The request's history from the audit trail, oldest first: each of its steps, and every
     * download of the subject's data between its receipt and its answer.
     */
    public List<AuditEntry> timeline(UUID id) {
        var row = db.read(tx -> requests.find(tx, id, false)).orElseThrow(() -> notFound(id));
        var query = new AuditRepository.Query(
                Optional.empty(),
                Optional.empty(),
                Optional.of(row.userId()),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new AuditRepository.RequestScope(id, row.receivedAt(), row.completedAt())));
        return audit.list(query, TIMELINE_LIMIT, null).items().reversed();
    }

    /** The queue, most recently received first. */
    public Page<GdprRequestView> list(
            Principal reader,
            Optional<String> status,
            Optional<String> type,
            boolean overdue,
            Optional<UUID> userId,
            int limit,
            @Nullable Keyset after) {
        var statuses = status.map(s -> GdprStatus.filter(s)
                        .orElseThrow(() -> new ServiceException.Validation(
                                "status", "status must be one of " + GdprStatus.listed() + " or " + GdprStatus.OPEN)))
                .orElse(Set.of());
        var query = new GdprRepository.Query(
                statuses,
                type.map(GdprService::type),
                overdue ? Optional.of(clock.instant()) : Optional.empty(),
                userId);
        return db.read(tx -> {
            var rows = requests.list(tx, query, after, limit);
            var page = rows.subList(0, Math.min(limit, rows.size()));
            var recipients = requests.recipients(
                    tx, page.stream().map(GdprRepository.Row::id).toList());
            var items = new java.util.ArrayList<GdprRequestView>();
            for (var row : page) {
                items.add(view(row, recipients.getOrDefault(row.id(), List.of()), reader));
            }
            String next = rows.size() > limit
                    ? Keyset.of(
                                    rows.get(limit - 1).receivedAt(),
                                    rows.get(limit - 1).id())
                            .encode()
                    : null;
            return new Page<>(items, next);
        });
    }

    /** The subject's identity was checked. */
    public GdprRequestView verify(Principal actor, UUID id, GdprCommands.Verify command, String requestId) {
        String note = optionalText("note", command.note(), 2_000);
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.VERIFY);
                    Instant now = clock.instant();
                    requests.transition(
                            tx, id, GdprStatus.VERIFIED, columns("verified_by", actor.userId(), "verified_at", now));
                    return event(actor, "gdpr.request_verified", Map.of(), "note", note);
                },
                requestId);
    }

    /** One extension by one or two months, with the reason, while the first month runs. */
    public GdprRequestView extend(Principal actor, UUID id, GdprCommands.Extend command, String requestId) {
        Integer months = command.months();
        if (months == null || months < 1 || months > 2) {
            throw new ServiceException.Validation("months", "an extension is one or two months");
        }
        String reason = requiredText("reason", command.reason(), 2_000);
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.EXTEND);
                    if (r.extendedUntil() != null) {
                        throw new ServiceException.Conflict("this request was already extended once");
                    }
                    if (!clock.instant().isBefore(r.dueAt())) {
                        throw new ServiceException.Conflict(
                                "an extension must be decided (and the subject told) within the first month");
                    }
                    Instant until =
                            r.dueAt().atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
                    requests.transition(
                            tx, id, r.status(), columns("extended_until", until, "extension_reason", reason));
                    return event(actor, "gdpr.request_extended", Map.of("until", until.toString()), "reason", reason);
                },
                requestId);
    }

    /** Refused, with the reason and confirmation the subject was told of their right to complain. */
    public GdprRequestView reject(Principal actor, UUID id, GdprCommands.Reject command, String requestId) {
        String reason = requiredText("reason", command.reason(), 2_000);
        if (!Boolean.TRUE.equals(command.subjectToldOfRightToComplain())) {
            throw new ServiceException.Validation(
                    "subjectToldOfRightToComplain",
                    "the subject must be told they may complain to a supervisory authority (Art. 12(4))");
        }
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.REJECT);
                    Instant now = clock.instant();
                    requests.transition(
                            tx,
                            id,
                            GdprStatus.REJECTED,
                            columns("rejected_reason", reason, "completed_by", actor.userId(), "completed_at", now));
                    return event(actor, "gdpr.request_rejected", Map.of("complaintRightTold", true), "reason", reason);
                },
                requestId);
    }

    /** The second person's approval of an erasure. */
    public GdprRequestView approve(Principal actor, UUID id, GdprCommands.Note command, String requestId) {
        String note = optionalText("note", command.note(), 2_000);
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.APPROVE);
                    fourEyes(tx, actor, r);
                    requests.transition(
                            tx,
                            id,
                            GdprStatus.APPROVED,
                            columns("approved_by", actor.userId(), "approved_at", clock.instant()));
                    return event(
                            actor,
                            "gdpr.request_approved",
                            Map.of(
                                    "verifiedBy",
                                    String.valueOf(r.verifiedBy()),
                                    "approvedBy",
                                    actor.userId().toString()),
                            "note",
                            note);
                },
                requestId);
    }

    /** Marks a recipient of the subject's data as told of the change (Art. 19). */
    public GdprRequestView recipientNotified(Principal actor, UUID id, String recipient, String requestId) {
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.NOTIFY_RECIPIENT);
                    if (!requests.markNotified(tx, id, recipient, actor.userId(), clock.instant())) {
                        throw new ServiceException.NotFound("this request has no recipient named " + recipient);
                    }
                    return event(actor, "gdpr.recipient_notified", Map.of("recipient", recipient));
                },
                requestId);
    }

    /**
     * Answers the request: access and portability record the SHA-256 of the export (never a copy);
     * erasure anonymises the subject in every table and destroys their audit key, in this one
     * transaction; restriction marks the subject's data read-only; rectification is done through
     * {@code /users/{id}/rectify} beforehand.
     */
    public GdprRequestView complete(Principal actor, UUID id, GdprCommands.Note command, String requestId) {
        String note = optionalText("note", command.note(), 2_000);
        return step(
                actor,
                id,
                (tx, r) -> {
                    GdprLifecycle.require(r, GdprAction.COMPLETE);
                    var unnotified = requests.recipients(tx, id).stream()
                            .filter(rc -> rc.notifiedAt() == null)
                            .map(GdprRequestView.Recipient::name)
                            .toList();
                    if (!unnotified.isEmpty()) {
                        throw new ServiceException.Conflict("first record that these recipients were told (Art. 19): "
                                + String.join(", ", unnotified));
                    }
                    if (r.type().actsOnAccount()) {
                        // erasing or restricting the last admin would leave nobody to govern staff
                        users.lockAdmins(tx);
                        LastAdmin.keep(users, tx, r.userId(), r.type() == GdprType.ERASURE ? "erasing" : "restricting");
                    }
                    var details = new LinkedHashMap<String, Object>();
                    var sets = columns("completed_by", actor.userId(), "completed_at", clock.instant());
                    switch (r.type()) {
                        case ACCESS, PORTABILITY -> {
                            // the evidence is the file handed over: the last download while the
                            // request was open, else the export as it stands now
                            var handedOver = audit.lastExportDigest(tx, r.userId(), r.receivedAt());
                            String sha = handedOver.isPresent()
                                    ? handedOver.get()
                                    : exports.export(tx, r.userId()).sha256();
                            sets.put("evidence_sha256", sha);
                            details.put("exportSha256", sha);
                            details.put("exportDownloaded", handedOver.isPresent());
                        }
                        case ERASURE -> {
                            Instant now = clock.instant();
                            details.put("anonymised", erasure.anonymise(tx, r.userId(), now));
                            // crypto-shredding: personal values in the audit trail become unreadable for good
                            keys.destroy(tx, r.userId(), now);
                            details.put("auditKeyDestroyed", true);
                            // the erasure outlives every older backup: a restore replays the ledger
                            var entry = ledger.append(tx, r.userId(), id, now, r.approvedBy(), actor.userId());
                            details.put("ledgerSeq", entry.seq());
                        }
                        case RESTRICTION -> {
                            users.setRestricted(tx, r.userId(), true, clock.instant());
                            details.put("processingRestricted", true);
                        }
                        case RECTIFICATION -> {
                            // the change itself was made and audited by /rectify
                        }
                    }
                    requests.transition(tx, id, GdprStatus.COMPLETED, sets);
                    return event(actor, "gdpr.request_completed", details, "note", note);
                },
                requestId);
    }

    /**
     * An erasure or restriction of a staff account follows the staff rules: an admin at every
     * step, never support alone.
     */
    private void staffRules(Tx tx, Principal actor, GdprType type, UUID subject) throws SQLException {
        if (!type.actsOnAccount() || actor.role() == Role.ADMIN) {
            return;
        }
        boolean staff =
                users.findById(tx, subject).map(a -> a.user().role().isStaff()).orElse(false);
        if (staff) {
            throw new ServiceException.Forbidden("an " + type.wireName()
                    + " of a staff account is handled by admins at every step, never by support alone");
        }
    }

    /**
     * Four eyes means two persons: the approver is not the verifier, nor an account the verifier
     * created, re-activated or changed the role of, nor an account created after the request was
     * received (a second identity made for the occasion).
     */
    private void fourEyes(Tx tx, Principal approver, GdprRepository.Row r) throws SQLException {
        UUID verifier = r.verifiedBy();
        if (approver.userId().equals(verifier)) {
            throw new ServiceException.Forbidden(
                    "four eyes: the person who verified this erasure request may not approve it");
        }
        if (verifier != null) {
            var links = users.links(tx, verifier, approver.userId());
            if (!links.isEmpty()) {
                var link = links.getLast();
                throw new ServiceException.Forbidden("four eyes: the person who verified this erasure request "
                        + link.link() + " your account on "
                        + link.at().atZone(ZoneOffset.UTC).toLocalDate()
                        + "; an admin they did not create or change must approve it");
            }
        }
        var account = users.findById(tx, approver.userId());
        if (account.isPresent() && account.get().user().createdAt().isAfter(r.receivedAt())) {
            throw new ServiceException.Forbidden("four eyes: your account was created after this request was"
                    + " received; an admin whose account is older must approve it");
        }
        // nor a verifying account made for the occasion
        var verifying = verifier == null
                ? Optional.<io.steward.server.users.UserRepository.Account>empty()
                : users.findById(tx, verifier);
        if (verifying.isPresent() && verifying.get().user().createdAt().isAfter(r.receivedAt())) {
            throw new ServiceException.Forbidden("four eyes: the account that verified this request was created"
                    + " after the request was received; verify it again with an older account");
        }
    }

    /** Audits a download of a subject's data: who, whose, and the digest of what left. */
    public void exported(Principal actor, UUID subject, String sha256, String requestId) {
        db.inTransaction(tx -> audit.record(
                tx,
                new AuditService.Event(
                        actor.userId(), "gdpr.subject_exported", subject, requestId, Map.of("sha256", sha256))));
    }

    /** What a transition did, for the audit trail; free text goes to the encrypted personal part. */
    private record Done(Principal actor, String action, Map<String, ?> details, Map<String, ?> personal) {}

    @FunctionalInterface
    private interface Step {
        Done apply(Tx tx, GdprRepository.Row row) throws SQLException;
    }

    private GdprRequestView step(Principal actor, UUID id, Step step, String requestId) {
        return db.inTransaction(tx -> {
            var row = requests.find(tx, id, true).orElseThrow(() -> notFound(id));
            staffRules(tx, actor, row.type(), row.userId());
            Done done = step.apply(tx, row);
            var details = new LinkedHashMap<String, Object>(done.details());
            details.put("type", row.type().wireName());
            details.put("from", row.status().wireName());
            record(tx, done.actor(), done.action(), id, row.userId(), requestId, details, done.personal());
            return view(tx, actor, id);
        });
    }

    private static Done event(Principal actor, String action, Map<String, ?> details) {
        return new Done(actor, action, details, Map.of());
    }

    private static Done event(
            Principal actor, String action, Map<String, ?> details, String textKey, @Nullable String text) {
        return new Done(actor, action, details, text == null ? Map.of() : Map.of(textKey, text));
    }

    private void record(
            Tx tx,
            Principal actor,
            String action,
            UUID request,
            UUID subject,
            String requestId,
            Map<String, ?> details,
            Map<String, ?> personal)
            throws SQLException {
        var all = new LinkedHashMap<String, Object>(details);
        all.put("requestId", request.toString());
        audit.record(tx, new AuditService.Event(actor.userId(), action, subject, requestId, all, personal));
    }

    private GdprRequestView view(Tx tx, Principal reader, UUID id) throws SQLException {
        var row = requests.find(tx, id, false).orElseThrow(() -> notFound(id));
        return view(row, requests.recipients(tx, id), reader);
    }

    /** The request as {@code reader} sees it: with the actions they may take on it now. */
    private GdprRequestView view(GdprRepository.Row r, List<GdprRequestView.Recipient> recipients, Principal reader) {
        Instant now = clock.instant();
        return new GdprRequestView(
                r.id(),
                r.userId(),
                r.type(),
                r.status(),
                r.receivedAt(),
                r.dueAt(),
                r.extendedUntil(),
                r.extensionReason(),
                r.deadline(),
                r.status().open() && now.isAfter(r.deadline()),
                r.verifiedBy(),
                r.verifiedAt(),
                r.approvedBy(),
                r.approvedAt(),
                r.completedBy(),
                r.completedAt(),
                r.rejectedReason(),
                r.note(),
                r.evidenceSha256(),
                recipients,
                r.version(),
                r.subjectName(),
                r.subjectEmail(),
                GdprLifecycle.waitingFor(r),
                GdprLifecycle.allowed(r, recipients, reader, now),
                null);
    }

    /** {@code view} with its request's history, for the answer to a step. */
    public GdprRequestView withTimeline(GdprRequestView view) {
        return view.withTimeline(timeline(view.id()));
    }

    private static Map<String, @Nullable Object> columns(Object... pairs) {
        var map = new LinkedHashMap<String, @Nullable Object>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static GdprType type(@Nullable String raw) {
        return GdprType.parse(raw == null ? "" : raw)
                .orElseThrow(() -> new ServiceException.Validation("type", "type must be one of " + GdprType.listed()));
    }

    private static UUID uuid(String field, @Nullable String raw) {
        if (raw == null) {
            throw new ServiceException.Validation(field, field + " is required");
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ServiceException.Validation(field, field + " must be a UUID");
        }
    }

    /** {@code raw} stripped; null when absent or blank. */
    private static @Nullable String optionalText(String field, @Nullable String raw, int max) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > max) {
            throw new ServiceException.Validation(field, field + " is longer than " + max + " characters");
        }
        return raw.strip();
    }

    /** {@code raw} stripped; 400 naming {@code field} when absent or blank. */
    private static String requiredText(String field, @Nullable String raw, int max) {
        String text = optionalText(field, raw, max);
        if (text == null) {
            throw new ServiceException.Validation(field, field + " is required");
        }
        return text;
    }

    private static ServiceException.NotFound notFound(UUID id) {
        return new ServiceException.NotFound("no GDPR request with id " + id);
    }
}
