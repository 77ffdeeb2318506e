package io.steward.server.api;

/**
 * What an open data-subject request waits for next ({@link GdprRequestView#waitingFor()}), so that
 * a queue can say who acts: {@code identity-check} (staff check who the subject is, then verify),
 * {@code approval} (an erasure: an admin other than the one who verified it approves), {@code
 * completion} (the answer is given: the data handed over, the change or the erasure carried out).
 */
public enum GdprWaitingFor implements WireName {
    IDENTITY_CHECK,
    APPROVAL,
    COMPLETION
}
