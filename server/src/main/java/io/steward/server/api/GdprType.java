package io.steward.server.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a data-subject asks for (GDPR Art. 15–18, 20); on the wire in lower case. */
public enum GdprType implements WireName {
    ACCESS,
    RECTIFICATION,
    ERASURE,
    RESTRICTION,
    PORTABILITY;

    /** Whether the outcome must be passed on to the data's recipients (Art. 19). */
    public boolean notifiesRecipients() {
        return this == RECTIFICATION || this == ERASURE || this == RESTRICTION;
    }

    /** Whether it acts on the account itself: about a staff account, only admins handle it. */
    public boolean actsOnAccount() {
        return this == ERASURE || this == RESTRICTION;
    }

    /** Whether it needs a second person's approval before it is done (four eyes). */
    public boolean needsApproval() {
        return this == ERASURE;
    }

    /** Whether it is answered by handing the subject their data. */
    public boolean answeredWithExport() {
        return this == ACCESS || this == PORTABILITY;
    }

    public static Optional<GdprType> parse(String value) {
        return WireName.parse(GdprType.class, value);
    }

    /** "access, rectification, …", for messages. */
    public static String listed() {
        return Arrays.stream(values()).map(GdprType::wireName).collect(Collectors.joining(", "));
    }
}
