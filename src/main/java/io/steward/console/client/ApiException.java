package io.steward.console.client;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server answered with its error shape: the HTTP status, the error code ({@code
 * VALIDATION_ERROR}, {@code INVALID_CREDENTIALS}, …), the server's own message, the field it
 * names for validation errors, the request id to quote to whoever reads the server's log, and for
 * {@code 429} how long to wait.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final @Nullable String field;
    private final String requestId;
    private final @Nullable Duration retryAfter;

    public ApiException(
            int status,
            String code,
            String message,
            @Nullable String field,
            String requestId,
            @Nullable Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public String requestId() {
        return requestId;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The token is missing, expired or revoked: the person must sign in again. */
    public boolean sessionExpired() {
        return status == 401 && code.equals("UNAUTHENTICATED");
    }

    /**
     * Why the server ended the sign-in, in its words ("your role was changed"), when it said so
     * ({@code this sign-in ended: …; sign in again}); otherwise "".
     */
    public String sessionEndedBecause() {
        var m = java.util.regex.Pattern.compile("^this sign-in ended: (.+); sign in again$")
                .matcher(serverMessage());
        return sessionExpired() && m.matches() ? m.group(1) : "";
    }

    /** The server's answer that is worth trying again later (its database is away, it is overloaded). */
    public boolean transientFailure() {
        return status == 503 || status == 502 || status == 504;
    }

    /** The server's message followed by its request id, for a person to quote. */
    @Override
    public String getMessage() {
        String message = String.valueOf(super.getMessage());
        return requestId.isEmpty() ? message : message + " (request " + requestId + ")";
    }

    /** The server's message alone. */
    public String serverMessage() {
        return String.valueOf(super.getMessage());
    }
}
