package io.steward.server.api;

/** The error codes of the HTTP contract, each with its status. */
public enum ErrorCode {
    MALFORMED_REQUEST(400),
    VALIDATION_ERROR(400),
    UNAUTHENTICATED(401),
    INVALID_CREDENTIALS(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    LAST_ADMIN(409),
    PRECONDITION_FAILED(412),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
