package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What staff can do with a data-subject request. Each request view lists the actions its reader
 * may take now ({@link GdprRequestView#actions()}), computed by the server's lifecycle rules; the
 * first five are steps ({@code POST /api/v1/gdpr/requests/{id}/<wire name>}), {@code
 * notify-recipient} records that a recipient was told (Art. 19), {@code export} saves the subject's
 * data to hand over.
 */
public enum GdprAction {
    VERIFY,
    EXTEND,
    REJECT,
    APPROVE,
    COMPLETE,
    NOTIFY_RECIPIENT,
    EXPORT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static GdprAction fromWire(String value) {
        return Arrays.stream(values())
                .filter(a -> a.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown action: " + value));
    }
}
