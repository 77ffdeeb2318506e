package io.steward.server.api;

import java.time.Instant;

/**
 * A signed statement of the audit chain's head: entry {@code seq} had {@code hash} (hex) at
 * {@code at}, signed by the key {@code keyId} with Ed25519 ({@code signature}, base64) over the
 * text {@code AuditCheckpoints.payload} makes of it. {@code instance} is the server instance that made it.
 */
public record AuditCheckpoint(long seq, String hash, Instant at, String keyId, String signature, String instance) {}
