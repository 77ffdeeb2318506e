package io.steward.server.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a data-subject request stands: {@code received → verified → (approved, erasure only) →
 * completed}, or {@code rejected} from any open state. On the wire in lower case.
 */
public enum GdprStatus implements WireName {
    RECEIVED,
    VERIFIED,
    APPROVED,
    COMPLETED,
    REJECTED;

    /** The list filter for the requests still waiting for their answer. */
    public static final String OPEN = "open";

    /** The states a list filter names: one state by its wire name, or {@value #OPEN} for the open ones. */
    public static Optional<Set<GdprStatus>> filter(String value) {
        if (value.equals(OPEN)) {
            return Optional.of(EnumSet.of(RECEIVED, VERIFIED, APPROVED));
        }
        return parse(value).map(EnumSet::of);
    }

    /** Whether the request still waits for its answer. */
    public boolean open() {
        return this != COMPLETED && this != REJECTED;
    }

    public static Optional<GdprStatus> parse(String value) {
        return WireName.parse(GdprStatus.class, value);
    }

    /** "received, verified, …", for messages. */
    public static String listed() {
        return Arrays.stream(values()).map(GdprStatus::wireName).collect(Collectors.joining(", "));
    }
}
