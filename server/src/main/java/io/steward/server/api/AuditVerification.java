package io.steward.server.api;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Result of walking the audit chain: how many entries were checked and the first broken one. */
public record AuditVerification(
        boolean valid, long checked, @Nullable UUID firstBrokenId) {}
