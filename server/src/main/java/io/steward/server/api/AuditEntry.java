package io.steward.server.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the tamper-evident audit trail; {@code hash} is hex SHA-256. {@code actorName} is
 * the actor's name now (not part of the hashed entry), or null for the server itself.
 */
public record AuditEntry(
        UUID id,
        Instant at,
        @Nullable UUID actorId,
        String action,
        @Nullable UUID subjectId,
        @Nullable String requestId,
        Map<String, Object> details,
        String hash,
        @Nullable String actorName) {}
