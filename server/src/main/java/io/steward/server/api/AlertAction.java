package io.steward.server.api;

/**
 * What staff can do with an alert now ({@link AlertView#actions()}): {@code silence} its rule's
 * alerts for a while ({@code POST /api/v1/silences} with the rule's name), while it is pending or
 * firing and no silence covers it; {@code acknowledge} it (say one is on it), while it is pending or
 * firing and nobody has.
 */
public enum AlertAction implements WireName {
    SILENCE,
    ACKNOWLEDGE
}
