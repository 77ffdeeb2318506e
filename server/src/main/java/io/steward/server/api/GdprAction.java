package io.steward.server.api;

/**
 * What staff can do with a data-subject request. Each request view lists the actions its reader
 * may take now ({@link GdprRequestView#actions()}), computed by the server's lifecycle rules; the
 * first five are steps ({@code POST /api/v1/gdpr/requests/{id}/<wire name>}), {@code
 * notify-recipient} records that a recipient was told (Art. 19), {@code export} saves the subject's
 * data to hand over.
 */
public enum GdprAction implements WireName {
    VERIFY,
    EXTEND,
    REJECT,
    APPROVE,
    COMPLETE,
    NOTIFY_RECIPIENT,
    EXPORT;
}
