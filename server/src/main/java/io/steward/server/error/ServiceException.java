package io.steward.server.error;

import io.steward.server.api.ErrorCode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a service throws when a request cannot be done as asked. The HTTP layer's one error
 * mapper turns each kind into the contract's error shape; messages are written for the person
 * reading them and never contain SQL, class names or stack traces.
 */
public abstract sealed class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    ServiceException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The contract's code, which also fixes the HTTP status. */
    public ErrorCode code() {
        return code;
    }

    /** The offending input field, for validation errors. */
    public @Nullable String field() {
        return null;
    }

    /** 400: the request could not be read at all (bad JSON, wrong types). */
    public static final class Malformed extends ServiceException {
        private static final long serialVersionUID = 1L;

        public Malformed(String message) {
            super(ErrorCode.MALFORMED_REQUEST, message);
        }
    }

    /** 400: a value is not acceptable; names the field. */
    public static final class Validation extends ServiceException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public Validation(String field, String message) {
            super(ErrorCode.VALIDATION_ERROR, message);
            this.field = field;
        }

        @Override
        public String field() {
            return field;
        }
    }

    /** 401: no token, or an expired or revoked one. */
    public static final class Unauthenticated extends ServiceException {
        private static final long serialVersionUID = 1L;

        public Unauthenticated(String message) {
            super(ErrorCode.UNAUTHENTICATED, message);
        }
    }

    /** 401: wrong email or password (deliberately not saying which). */
    public static final class InvalidCredentials extends ServiceException {
        private static final long serialVersionUID = 1L;

        public InvalidCredentials() {
            super(ErrorCode.INVALID_CREDENTIALS, "email or password is wrong");
        }
    }

    /** 403: the caller's role lacks the permission. */
    public static final class Forbidden extends ServiceException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String message) {
            super(ErrorCode.FORBIDDEN, message);
        }
    }

    /** 404. */
    public static final class NotFound extends ServiceException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(ErrorCode.NOT_FOUND, message);
        }
    }

    /** 409: duplicate, or a state transition that is not allowed. */
    public static final class Conflict extends ServiceException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(ErrorCode.CONFLICT, message);
        }
    }

    /** 409: the change would leave no active admin. */
    public static final class LastAdmin extends ServiceException {
        private static final long serialVersionUID = 1L;

        public LastAdmin(String message) {
            super(ErrorCode.LAST_ADMIN, message);
        }
    }

    /** 412: the {@code If-Match} version is stale. */
    public static final class PreconditionFailed extends ServiceException {
        private static final long serialVersionUID = 1L;

        public PreconditionFailed(String message) {
            super(ErrorCode.PRECONDITION_FAILED, message);
        }
    }

    /** 429 with {@code Retry-After}. */
    public static final class RateLimited extends ServiceException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(ErrorCode.RATE_LIMITED, message);
            this.retryAfter = retryAfter;
        }

        /** How long the caller should wait, never less than one second. */
        public Duration retryAfter() {
            return retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
        }
    }

    /** 503: the database is down or a circuit is open. */
    public static final class Unavailable extends ServiceException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(ErrorCode.SERVICE_UNAVAILABLE, message);
        }
    }

    /** 405: the path exists, but not with this method. */
    public static final class MethodNotAllowed extends ServiceException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        public MethodNotAllowed(String method, String allow) {
            super(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed here; use " + allow);
            this.allow = allow;
        }

        /** The methods the path supports, for the {@code Allow} header. */
        public String allow() {
            return allow;
        }
    }

    /** 413: the request body is over the limit. */
    public static final class PayloadTooLarge extends ServiceException {
        private static final long serialVersionUID = 1L;

        public PayloadTooLarge() {
            super(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than 1 MiB");
        }
    }

    /** 415: the request body is not of a type this call reads. */
    public static final class UnsupportedMediaType extends ServiceException {
        private static final long serialVersionUID = 1L;

        public UnsupportedMediaType(String message) {
            super(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
        }
    }
}
