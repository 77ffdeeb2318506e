package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Roles of the platform's users; the staff roles may sign in to the console. */
public enum Role {
    STUDENT,
    INSTRUCTOR,
    SUPPORT,
    AUDITOR,
    ADMIN;

    /** True for the roles that may sign in to Steward. */
    public boolean isStaff() {
        return this == SUPPORT || this == AUDITOR || this == ADMIN;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromWire(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown role: " + value));
    }

    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
