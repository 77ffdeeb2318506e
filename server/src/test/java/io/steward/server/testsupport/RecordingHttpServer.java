package io.steward.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real local HTTP server standing in for a service Steward calls (a platform dependency, the
 * alert webhook): it answers every request with the status the test sets and keeps the bodies,
 * the request targets (path and query) and the {@code Authorization} headers.
 */
public final class RecordingHttpServer implements AutoCloseable {
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    public final List<String> targets = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger status;
    private volatile Duration delay = Duration.ZERO;
    private final MockWebServer server = new MockWebServer();

    public RecordingHttpServer(int status) {
        this.status = new AtomicInteger(status);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                bodies.add(request.getBody() == null ? "" : request.getBody().utf8());
                targets.add(request.getTarget());
                authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
                return new MockResponse.Builder()
                        .code(RecordingHttpServer.this.status.get())
                        .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                        .build();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, answer with {@code code}. */
    public void answer(int code) {
        status.set(code);
    }

    /** From now on, wait {@code delay} before answering. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public String url(String path) {
        return server.url(path).toString();
    }

    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }
}
