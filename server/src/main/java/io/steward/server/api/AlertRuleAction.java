package io.steward.server.api;

/** What staff can do with an alert rule ({@link AlertRuleView#actions()}): {@code edit} it, {@code delete} it. */
public enum AlertRuleAction implements WireName {
    EDIT,
    DELETE
}
