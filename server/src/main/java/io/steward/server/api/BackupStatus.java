package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Where a backup stands: being written, written and complete, or failed. On the wire in lower case. */
public enum BackupStatus {
    RUNNING,
    COMPLETED,
    FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackupStatus fromWire(String value) {
        return Arrays.stream(values())
                .filter(s -> s.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backup status: " + value));
    }
}
