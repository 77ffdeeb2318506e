package io.steward.server.db;

import io.steward.server.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last row of a page ordered by {@code (time DESC, key DESC)}, as an
 * opaque cursor; the key breaks ties (a UUID or a sequence number). Keyset pagination: the next
 * page starts strictly after it, so rows inserted meanwhile never shift pages (no duplicates, no
 * gaps), and page 10 000 costs what page 1 costs.
 */
public record Keyset(Instant at, String key) {

    public static Keyset of(Instant at, UUID id) {
        return new Keyset(at, id.toString());
    }

    public static Keyset of(Instant at, long sequence) {
        return new Keyset(at, Long.toString(sequence));
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + key).getBytes(StandardCharsets.US_ASCII));
    }

    /** The tie-breaker as a UUID. */
    public UUID uuid() {
        try {
            return UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The tie-breaker as a sequence number. */
    public long sequence() {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** @throws ServiceException.Validation on field {@code cursor} for anything not made by {@link #encode} */
    public static Keyset decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            String key = raw.substring(colon + 1);
            if (key.isEmpty() || key.length() > 64) {
                throw invalid();
            }
            return new Keyset(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), key);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException | ArithmeticException e) {
            throw invalid();
        }
    }

    private static ServiceException.Validation invalid() {
        return new ServiceException.Validation("cursor", "cursor is not one this server handed out");
    }
}
