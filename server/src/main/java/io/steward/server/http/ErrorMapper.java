package io.steward.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.steward.server.api.ErrorCode;
import io.steward.server.api.ErrorResponse;
import io.steward.server.error.ServiceException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers in the contract's shape. It logs each
 * failure once: the unexpected ones with their stack trace (server side only), the expected
 * ones at debug level. Answers never carry stack traces, SQL or class names.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final String GENERIC_MESSAGE = "an unexpected error occurred; quote the request id when reporting it";

    private final ObjectMapper mapper;

    public ErrorMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The answer for {@code failure}. */
    public Answer answer(Throwable failure, String requestId) {
        return switch (failure) {
            case ServiceException e -> {
                LOG.debug("request failed: {} {}", e.code(), e.getMessage());
                yield new Answer(
                        e.code(),
                        ErrorResponse.of(e.code(), String.valueOf(e.getMessage()), e.field(), requestId),
                        extra(e));
            }
            case HttpException e
            when e.status().code() < 500 -> {
                // the framework's own refusals (bad request line, entity too large while reading)
                ErrorCode code = codeFor(e.status().code());
                LOG.debug("request refused by the HTTP layer: {}", e.status());
                yield new Answer(code, ErrorResponse.of(code, messageFor(code), null, requestId), null);
            }
            default -> {
                LOG.error("unexpected failure", failure);
                yield new Answer(
                        ErrorCode.INTERNAL_ERROR,
                        ErrorResponse.of(ErrorCode.INTERNAL_ERROR, GENERIC_MESSAGE, null, requestId),
                        null);
            }
        };
    }

    /** Writes the answer for {@code failure}, unless the response has already gone out. */
    public void write(ServerResponse response, Throwable failure, String requestId) {
        Answer answer = answer(failure, requestId);
        if (response.isSent()) {
            LOG.warn("failure after the response was sent: {}", answer.code());
            return;
        }
        response.status(Status.create(answer.code().status()));
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (answer.extraHeader() != null) {
            response.header(answer.extraHeader().name(), answer.extraHeader().value());
        }
        response.send(bytes(answer.body()));
    }

    byte[] bytes(ErrorResponse body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // cannot happen for this record; keep a valid answer anyway
            return ("{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"" + GENERIC_MESSAGE + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.PRECONDITION_FAILED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
        };
    }

    static String messageFor(ErrorCode code) {
        return switch (code) {
            case PAYLOAD_TOO_LARGE -> "the request body is larger than 1 MiB";
            case NOT_FOUND -> "no such resource";
            case METHOD_NOT_ALLOWED -> "this method is not allowed here";
            case UNSUPPORTED_MEDIA_TYPE -> "the request body must be application/json";
            case INTERNAL_ERROR -> GENERIC_MESSAGE;
            case SERVICE_UNAVAILABLE -> "the service is unavailable, try again shortly";
            default -> "the request could not be understood";
        };
    }

    private static @Nullable Header extra(ServiceException e) {
        return switch (e) {
            case ServiceException.RateLimited r ->
                new Header("Retry-After", Long.toString(r.retryAfter().toSeconds()));
            case ServiceException.MethodNotAllowed m -> new Header("Allow", m.allow());
            case ServiceException.Unauthenticated u -> new Header("WWW-Authenticate", "Bearer");
            default -> null;
        };
    }

    /** A response header that goes with an error. */
    public record Header(String name, String value) {}

    /** Status code, body and an optional extra header. */
    public record Answer(
            ErrorCode code, ErrorResponse body, @Nullable Header extraHeader) {}
}
