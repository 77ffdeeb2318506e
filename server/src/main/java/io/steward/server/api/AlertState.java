package io.steward.server.api;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where an alert stands, as Prometheus names it: {@code pending} while its rule's condition holds
 * for less than the rule's {@code for}, then {@code firing}, and {@code resolved} once it no longer
 * holds. A pending alert whose condition stops holding before it fires becomes {@code inactive}:
 * said once on the live stream, and not kept.
 */
public enum AlertState implements WireName {
    PENDING,
    FIRING,
    RESOLVED,
    INACTIVE;

    /** The list filter for pending and firing alerts together. */
    public static final String ACTIVE = "active";

    /** Pending or firing: not over yet. */
    public boolean open() {
        return this == PENDING || this == FIRING;
    }

    /**
     * The states a list filter names: one state by its wire name, or {@value #ACTIVE} for pending and
     * firing.
     */
    public static Optional<Set<AlertState>> filter(String value) {
        if (value.equals(ACTIVE)) {
            return Optional.of(EnumSet.of(PENDING, FIRING));
        }
        return WireName.parse(AlertState.class, value)
                .filter(s -> s != INACTIVE)
                .map(EnumSet::of);
    }
}
