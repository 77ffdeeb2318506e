package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a data-subject request stands: {@code received → verified → (approved, erasure only) →
 * completed}, or {@code rejected} from any open state. On the wire in lower case.
 */
public enum GdprStatus {
    RECEIVED,
    VERIFIED,
    APPROVED,
    COMPLETED,
    REJECTED;

    /** Whether the request still waits for its answer. */
    public boolean open() {
        return this != COMPLETED && this != REJECTED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GdprStatus fromWire(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown request status: " + value));
    }

    public static Optional<GdprStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }

    /** "received, verified, …", for messages. */
    public static String listed() {
        return Arrays.stream(values()).map(GdprStatus::wireName).collect(Collectors.joining(", "));
    }
}
