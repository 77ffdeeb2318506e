package io.steward.server.api;

/** A silence is {@code active} from its start until it ends (by its time or by hand), then {@code expired}. */
public enum SilenceState implements WireName {
    ACTIVE,
    EXPIRED
}
