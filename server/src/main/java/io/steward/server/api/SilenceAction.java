package io.steward.server.api;

/** What staff can do with a silence ({@link SilenceView#actions()}): {@code end} it now, while it is active. */
public enum SilenceAction implements WireName {
    END
}
