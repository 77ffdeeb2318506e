package io.steward.server.cluster;

import io.steward.server.api.AlertView;
import java.util.UUID;

/**
 * What one instance tells the others through the {@link ClusterBus}: a record per kind, each on a
 * topic of its own ({@link ClusterMessages} writes and reads them).
 */
public sealed interface ClusterMessage {

    /** An audit entry was committed ({@code audit}); its data is the live stream's {@code audit} event. */
    record AuditRecorded(UUID id, String action) implements ClusterMessage {}

    /** The leader moved an alert to another state ({@code alert}); its data is the alert. */
    record AlertChanged(AlertView alert) implements ClusterMessage {}

    /** Alert rules or silences changed ({@code alert-rules}): read them again. */
    record AlertRulesChanged() implements ClusterMessage {}
}
