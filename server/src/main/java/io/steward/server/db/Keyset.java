package io.steward.server.db;

import io.steward.server.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last row of a page ordered by {@code (time DESC, id DESC)}, as an opaque
 * cursor. Keyset pagination: the next page starts strictly after it, so rows inserted meanwhile
 * never shift pages (no duplicates, no gaps), and page 10 000 costs what page 1 costs.
 */
public record Keyset(Instant at, UUID id) {

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws ServiceException.Validation on field {@code cursor} for anything not made by {@link #encode} */
    public static Keyset decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            return new Keyset(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(raw.substring(colon + 1)));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException | ArithmeticException e) {
            throw new ServiceException.Validation("cursor", "cursor is not one this server handed out");
        }
    }
}
