package io.steward.server.api;

import org.jspecify.annotations.Nullable;

/** Bodies of the GDPR request calls. */
public final class GdprCommands {
    private GdprCommands() {}

    /** {@code POST /api/v1/gdpr/requests}. */
    public record Open(
            @Nullable String userId,
            @Nullable String type,
            @Nullable String note) {}

    /** {@code POST …/verify}: how the subject's identity was checked. */
    public record Verify(@Nullable String note) {}

    /** {@code POST …/extend}: by one or two months, with the reason the subject is told. */
    public record Extend(@Nullable Integer months, @Nullable String reason) {}

    /**
     * {@code POST …/reject}: the reason, and confirmation that the subject was told they may complain
     * to a supervisory authority (Art. 12(4)).
     */
    public record Reject(@Nullable String reason, @Nullable Boolean subjectToldOfRightToComplain) {}

    /** {@code POST …/approve} and {@code …/complete}: an optional note. */
    public record Note(@Nullable String note) {}
}
