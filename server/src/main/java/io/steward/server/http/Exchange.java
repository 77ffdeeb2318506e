package io.steward.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.steward.server.access.Principal;
import io.steward.server.error.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, as route handlers see them: path parameters, query, the
 * signed-in principal, the JSON body read within the limits, and the JSON answer.
 */
public final class Exchange {
    /** Largest request body accepted (1 MiB). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ServerRequest request;
    private final ServerResponse response;
    private final ObjectMapper mapper;
    private final String requestId;
    private final Map<String, String> pathParams;
    private final @Nullable Principal principal;
    private final TrustedProxies proxies;
    private final Downloads downloads;

    Exchange(
            ServerRequest request,
            ServerResponse response,
            ObjectMapper mapper,
            String requestId,
            Map<String, String> pathParams,
            @Nullable Principal principal,
            TrustedProxies proxies,
            Downloads downloads) {
        this.proxies = proxies;
        this.downloads = downloads;
        this.request = request;
        this.response = response;
        this.mapper = mapper;
        this.requestId = requestId;
        this.pathParams = pathParams;
        this.principal = principal;
    }

    public String requestId() {
        return requestId;
    }

    /** The signed-in staff member; only absent on public routes. */
    public Principal principal() {
        if (principal == null) {
            throw new ServiceException.Unauthenticated("sign in first");
        }
        return principal;
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** A path parameter that must be a UUID. */
    public UUID uuidParam(String name) {
        return uuid(name, pathParam(name));
    }

    /** A query parameter that must be a UUID when given. */
    public Optional<UUID> uuidQuery(String name) {
        return query(name).map(raw -> uuid(name, raw));
    }

    private static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ServiceException.Validation(name, name + " must be a UUID");
        }
    }

    public Optional<String> query(String name) {
        return request.query().first(name).asOptional().filter(v -> !v.isEmpty());
    }

    /** A query parameter that must be an ISO-8601 instant. */
    public Optional<java.time.Instant> instantQuery(String name) {
        return query(name).map(raw -> {
            try {
                return java.time.Instant.parse(raw);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ServiceException.Validation(
                        name, name + " must be an ISO-8601 time such as 2026-01-31T00:00:00Z");
            }
        });
    }

    /** {@code from} and {@code to} query parameters, checked to be in order. */
    public record Period(Optional<java.time.Instant> from, Optional<java.time.Instant> to) {}

    public Period period() {
        var period = new Period(instantQuery("from"), instantQuery("to"));
        if (period.from().isPresent()
                && period.to().isPresent()
                && !period.from().get().isBefore(period.to().get())) {
            throw new ServiceException.Validation("to", "to must be after from");
        }
        return period;
    }

    /**
     * The version an {@code If-Match} header asks for: {@code "3"}, {@code W/"3"} or {@code 3};
     * empty when absent or {@code *} (any version).
     */
    public java.util.OptionalLong ifMatch() {
        Optional<String> header = header("If-Match");
        if (header.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        String tag = header.get().strip();
        if (tag.equals("*")) {
            return java.util.OptionalLong.empty();
        }
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(tag));
        } catch (NumberFormatException e) {
            throw new ServiceException.Validation("If-Match", "If-Match must be an ETag this server handed out");
        }
    }

    /** {@code ?limit=}: 1 to 500, 50 when absent. */
    public int limit() {
        return query("limit")
                .map(raw -> {
                    try {
                        int n = Integer.parseInt(raw);
                        if (n >= 1 && n <= 500) {
                            return n;
                        }
                    } catch (NumberFormatException e) {
                        // answered below, with the field named
                    }
                    throw new ServiceException.Validation("limit", "limit must be a whole number between 1 and 500");
                })
                .orElse(50);
    }

    /** A {@code true}/{@code false} query parameter, {@code fallback} when absent. */
    public boolean flag(String name, boolean fallback) {
        return query(name)
                .map(v -> switch (v) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new ServiceException.Validation(name, name + " must be true or false");
                })
                .orElse(fallback);
    }

    public Optional<String> header(String name) {
        return request.headers().first(HeaderNames.create(name)).filter(v -> !v.isBlank());
    }

    /** The caller's IP address as seen on the socket. */
    /** The client's IP address: the connection's peer, or whom a trusted proxy forwards for. */
    public String clientAddress() {
        if (request.remotePeer().address() instanceof InetSocketAddress inet) {
            return proxies.clientOf(inet.getAddress(), header("X-Forwarded-For").orElse(null));
        }
        return request.remotePeer().host();
    }

    public String userAgent() {
        String agent = header("User-Agent").orElse("");
        return agent.length() > 300 ? agent.substring(0, 300) : agent;
    }

    /**
     * Reads the JSON body as {@code type}: it must be declared {@code application/json}, be at
     * most {@link #MAX_BODY_BYTES}, and parse; otherwise 415, 413 or 400.
     */
    public <T> T body(Class<T> type) {
        String contentType = header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json")) {
            throw new ServiceException.UnsupportedMediaType("the request body must be application/json");
        }
        long declared = request.headers().contentLength().orElse(-1L);
        if (declared > MAX_BODY_BYTES) {
            throw new ServiceException.PayloadTooLarge();
        }
        byte[] bytes = readAtMost(MAX_BODY_BYTES);
        if (bytes.length == 0) {
            throw new ServiceException.Malformed("a JSON request body is required");
        }
        return Json.parse(mapper, bytes, type);
    }

    private byte[] readAtMost(int limit) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ServiceException.PayloadTooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new ServiceException.Malformed("request body could not be read");
        }
    }

    /** Answers with {@code body} as JSON. */
    public void json(int status, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(bytes);
    }

    public void ok(Object body) {
        json(200, body);
    }

    public void noContent() {
        response.status(Status.NO_CONTENT_204);
        response.send();
    }

    /** Plain text (Prometheus exposition, CSV), with its content type. */
    public void text(String contentType, String body) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Something that writes a streamed answer. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(java.io.Writer out) throws IOException;
    }

    /**
     * Streams a download (CSV, JSON export) as an attachment named {@code fileName}: at most
     * {@link Downloads#PER_PERSON} per staff member at once, every write watched (a client that
     * stops reading is cut off). Check the request before calling this: once bytes have gone out,
     * the status can no longer change. {@code writer} must not hold a database connection while it
     * writes.
     */
    public void download(String contentType, String fileName, StreamWriter writer) throws IOException {
        try (var slot = downloads.begin(principal());
                var watch = downloads.watchdog().watch()) {
            response.status(Status.OK_200);
            response.header(HeaderNames.CONTENT_TYPE, contentType);
            response.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            try (var out = new java.io.BufferedWriter(
                    new java.io.OutputStreamWriter(watch.wrap(response.outputStream()), StandardCharsets.UTF_8),
                    64 * 1024)) {
                writer.write(out);
            }
        }
    }

    /** A finished document (a PDF) as an attachment named {@code fileName}, watched as downloads are. */
    public void attachment(String contentType, String fileName, byte[] body) throws IOException {
        try (var slot = downloads.begin(principal())) {
            send(contentType, fileName, body.length, out -> out.write(body));
        }
    }

    /** Makes a file to send (an evidence pack); null is never returned. */
    public interface FileMaker {
        java.nio.file.Path make() throws IOException;
    }

    /**
     * A file made for this answer as an attachment named {@code fileName}: made only once the
     * caller holds one of their download slots (so a person cannot have more made at once than
     * they may download), sent as downloads are, then deleted.
     */
    public void attachmentMade(String contentType, String fileName, FileMaker maker) throws IOException {
        try (var slot = downloads.begin(principal())) {
            java.nio.file.Path body = maker.make();
            try {
                send(contentType, fileName, java.nio.file.Files.size(body), out -> java.nio.file.Files.copy(body, out));
            } finally {
                java.nio.file.Files.deleteIfExists(body);
            }
        }
    }

    private interface BodyWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    private void send(String contentType, String fileName, long length, BodyWriter body) throws IOException {
        try (var watch = downloads.watchdog().watch()) {
            response.status(Status.OK_200);
            response.header(HeaderNames.CONTENT_TYPE, contentType);
            response.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            response.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
            try (var out = watch.wrap(response.outputStream())) {
                body.write(out);
            }
        }
    }

    /** Watches the writes of a long answer (the live stream) as downloads are watched. */
    public WriteWatchdog.Watch watchWrites() {
        return downloads.watchdog().watch();
    }

    public void responseHeader(String name, String value) {
        response.header(name, value);
    }

    /** For streaming answers (SSE, CSV) that need the framework's response. */
    public ServerResponse rawResponse() {
        return response;
    }
}
