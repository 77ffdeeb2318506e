package io.steward.server.gdpr;

import static io.steward.server.api.GdprStatus.APPROVED;
import static io.steward.server.api.GdprStatus.COMPLETED;
import static io.steward.server.api.GdprStatus.RECEIVED;
import static io.steward.server.api.GdprStatus.VERIFIED;

import io.steward.server.access.Principal;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.GdprWaitingFor;
import io.steward.server.api.Permission;
import io.steward.server.api.Role;
import io.steward.server.error.ServiceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle of a data-subject request, written once: from which states each action may be
 * taken, and which actions a given staff member may take on a request now (sent with every
 * request view as {@code actions}). The service refuses what the states do not allow; the four-eyes
 * links and the last-admin rule, which need the database, are checked when the step is taken.
 */
final class GdprLifecycle {
    private static final Set<GdprStatus> OPEN = EnumSet.of(RECEIVED, VERIFIED, APPROVED);

    private GdprLifecycle() {}

    /** The states of a request of {@code type} from which {@code action} may be taken. */
    static Set<GdprStatus> from(GdprAction action, GdprType type) {
        return switch (action) {
            case VERIFY -> EnumSet.of(RECEIVED);
            case EXTEND, REJECT, NOTIFY_RECIPIENT -> OPEN;
            case APPROVE -> type.needsApproval() ? EnumSet.of(VERIFIED) : EnumSet.noneOf(GdprStatus.class);
            case COMPLETE -> EnumSet.of(type.needsApproval() ? APPROVED : VERIFIED);
            case EXPORT ->
                type.answeredWithExport() ? EnumSet.of(VERIFIED, COMPLETED) : EnumSet.noneOf(GdprStatus.class);
        };
    }

    /** What an open request waits for next; null once it is answered. */
    static @Nullable GdprWaitingFor waitingFor(GdprRepository.Row r) {
        return switch (r.status()) {
            case RECEIVED -> GdprWaitingFor.IDENTITY_CHECK;
            case VERIFIED -> r.type().needsApproval() ? GdprWaitingFor.APPROVAL : GdprWaitingFor.COMPLETION;
            case APPROVED -> GdprWaitingFor.COMPLETION;
            case COMPLETED, REJECTED -> null;
        };
    }

    /** Refuses {@code action} on {@code r} unless its state allows it: 409 naming the states that would. */
    static void require(GdprRepository.Row r, GdprAction action) {
        Set<GdprStatus> allowed = from(action, r.type());
        if (allowed.contains(r.status())) {
            return;
        }
        if (allowed.isEmpty()) {
            throw new ServiceException.Conflict(
                    action == GdprAction.APPROVE
                            ? "only erasure requests need an approval"
                            : "a request for " + r.type().wireName() + " is not answered with an export");
        }
        throw new ServiceException.Conflict("cannot " + verb(action) + " a request that is "
                + r.status().wireName() + " (needs "
                + allowed.stream().map(GdprStatus::wireName).collect(Collectors.joining(" or ")) + ")");
    }

    /**
     * What {@code caller} may do with {@code r} now: the actions its state allows, less those the
     * caller's role or the request's own facts rule out (an extension already given or too late,
     * the approver being the verifier, no recipient left to tell, a staff account's erasure or
     * restriction for anyone but an admin).
     */
    static List<GdprAction> allowed(
            GdprRepository.Row r, List<GdprRequestView.Recipient> recipients, Principal caller, Instant now) {
        if (r.type().actsOnAccount() && r.subjectIsStaff() && caller.role() != Role.ADMIN) {
            return List.of();
        }
        var out = new ArrayList<GdprAction>();
        for (GdprAction action : GdprAction.values()) {
            if (!from(action, r.type()).contains(r.status())) {
                continue;
            }
            boolean may = switch (action) {
                case EXTEND -> r.extendedUntil() == null && now.isBefore(r.dueAt());
                case APPROVE ->
                    Permission.GDPR_APPROVE.allows(caller.role())
                            && !caller.userId().equals(r.verifiedBy());
                case NOTIFY_RECIPIENT -> recipients.stream().anyMatch(x -> x.notifiedAt() == null);
                default -> true;
            };
            if (may) {
                out.add(action);
            }
        }
        return List.copyOf(out);
    }

    private static String verb(GdprAction action) {
        return switch (action) {
            case NOTIFY_RECIPIENT -> "record a notification on";
            default -> action.wireName();
        };
    }
}
