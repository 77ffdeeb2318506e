package io.steward.console.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.server.api.HealthStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The console's one way to talk to a Steward server: HTTP + JSON through OkHttp. */
public final class StewardClient {
    private final URI baseUrl;
    private final OkHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StewardClient(URI baseUrl) {
        this.baseUrl = baseUrl;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(15))
                .build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Asks the server whether it is ready. A server that answers 503 is reachable but not ready:
     * that is a status, not an error.
     *
     * @throws ServerUnreachable when no answer comes back
     */
    public HealthStatus readiness() {
        Request request = new Request.Builder()
                .url(baseUrl.resolve("/health/ready").toString())
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() != 200 && response.code() != 503) {
                throw new ServerUnreachable(baseUrl + " answered " + response.code() + "; is it a Steward server?");
            }
            return mapper.readValue(response.body().byteStream(), HealthStatus.class);
        } catch (IOException e) {
            throw new ServerUnreachable(explain(e));
        }
    }

    /** Turns a network failure into a sentence for the person at the console. */
    private String explain(IOException e) {
        return switch (e) {
            case java.net.ConnectException c ->
                "Nothing answers at " + baseUrl + ". Check the address and that the server is running.";
            case java.net.UnknownHostException u -> "The name " + baseUrl.getHost() + " cannot be resolved.";
            case java.io.InterruptedIOException t -> baseUrl + " did not answer in time.";
            case javax.net.ssl.SSLException s -> "A secure connection to " + baseUrl + " failed: " + s.getMessage();
            default -> "The connection to " + baseUrl + " failed: " + e.getMessage();
        };
    }

    /** No usable answer from the server; the message is written for the person at the console. */
    public static final class ServerUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ServerUnreachable(String message) {
            super(message);
        }
    }
}
