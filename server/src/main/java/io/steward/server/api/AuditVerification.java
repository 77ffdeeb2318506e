package io.steward.server.api;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Result of checking the audit chain: every entry from {@code fromSeq} on must point at its
 * predecessor's hash and hash to what it stores, and every signed checkpoint must name an entry
 * that is there with the hash it names.
 *
 * @param scope {@code full} (from the first entry kept) or {@code since-checkpoint} (from the
 *     newest checkpoint an earlier check reached; the whole chain is checked on demand and daily)
 * @param checked entries whose hashes were recomputed
 * @param firstBrokenId the first entry that is changed, or follows a removed or inserted one
 * @param fromSeq the first entry checked
 * @param headSeq the newest entry (0 when there is none)
 * @param checkpoints signed checkpoints compared with the chain
 * @param newestCheckpoint the newest checkpoint whose signature is this server's
 * @param missing entries a signed checkpoint names that are gone from the end of the chain
 * @param problems what is wrong, in words; empty when valid
 */
public record AuditVerification(
        boolean valid,
        long checked,
        @Nullable UUID firstBrokenId,
        String scope,
        long fromSeq,
        long headSeq,
        long checkpoints,
        @Nullable AuditCheckpoint newestCheckpoint,
        @Nullable Missing missing,
        List<String> problems) {

    /** Entries after {@code afterSeq} up to and including {@code throughSeq} are not in the chain. */
    public record Missing(long afterSeq, long throughSeq) {}
}
