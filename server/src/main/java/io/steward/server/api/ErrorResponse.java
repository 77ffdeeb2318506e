package io.steward.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The one shape of every error answer: {@code {"error": {code, message, field?, requestId}}}. */
public record ErrorResponse(Error error) {

    /** The error itself; {@code field} names the offending input for validation errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(
            String code, String message, @Nullable String field, String requestId) {}

    public static ErrorResponse of(ErrorCode code, String message, @Nullable String field, String requestId) {
        return new ErrorResponse(new Error(code.name(), message, field, requestId));
    }
}
