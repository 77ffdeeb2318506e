package io.steward.server.outbound;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * Sends one request to an outside service and turns every way it can fail (no connection, no
 * answer in time, an error status) into a {@link Failed} that says so in words, for the
 * {@link Guard} to count and a person to read.
 */
public final class OutboundHttp {
    private OutboundHttp() {}

    /** A failed call; cheap to throw, as failures are expected and counted. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Sends {@code request}, discarding the body.
     *
     * @return the status, below {@code failFrom}
     * @throws Failed when the service is unreachable, too slow, or answers {@code failFrom} or above
     */
    public static int send(HttpClient http, HttpRequest request, int failFrom) {
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= failFrom) {
                throw new Failed("answered HTTP " + status);
            }
            return status;
        } catch (HttpTimeoutException e) {
            throw new Failed("no answer within "
                    + request.timeout().map(t -> t.toMillis() + " ms").orElse("its timeout"));
        } catch (IOException e) {
            // the client's message may quote the URL, secrets and all
            throw new Failed("cannot connect: "
                    + (e.getMessage() == null
                            ? e.getClass().getSimpleName()
                            : new ServiceUrl(request.uri()).scrub(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }
}
