package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What staff can do with a backup; each backup view lists those its reader may take now ({@link
 * BackupView#actions()}). {@code verify}: prove it by a restore test ({@code POST
 * /api/v1/backups/{id}/verify}).
 */
public enum BackupAction {
    VERIFY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackupAction fromWire(String value) {
        return Arrays.stream(values())
                .filter(a -> a.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backup action: " + value));
    }
}
