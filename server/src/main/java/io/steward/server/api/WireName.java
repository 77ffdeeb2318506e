package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose constants go on the wire by name in lower case, words joined by {@code -}
 * ({@code NOTIFY_RECIPIENT} is {@code notify-recipient}); Jackson writes and reads them so.
 */
public interface WireName {
    /** The constant's name, as every enum has it. */
    String name();

    @JsonValue
    default String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} written {@code value} on the wire.
     *
     * @throws IllegalArgumentException when none is
     */
    static <E extends Enum<E> & WireName> E of(Class<E> type, String value) {
        return parse(type, value)
                .orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + value));
    }

    /** The constant of {@code type} written {@code value} on the wire, if any. */
    static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.wireName().equals(value))
                .findFirst();
    }
}
