package io.steward.server.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed statement of the audit chain's head: entry {@code seq} had {@code hash} (hex) at
 * {@code at}, signed by the key {@code keyId} with Ed25519 ({@code signature}, base64) over
 * {@link #payload}. {@code instance} is the server instance that made it.
 */
public record AuditCheckpoint(long seq, String hash, Instant at, String keyId, String signature, String instance) {

    /** The bytes that are signed: a format line, then seq, hash, time and instance, one per line. */
    public byte[] payload() {
        return payload(seq, hash, at, instance);
    }

    public static byte[] payload(long seq, String hash, Instant at, String instance) {
        return ("steward-audit-checkpoint/1\n" + seq + "\n" + hash + "\n" + at + "\n" + instance + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
