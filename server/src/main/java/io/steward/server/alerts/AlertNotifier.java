package io.steward.server.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.outbound.Guard;
import io.steward.server.outbound.OutboundHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs firing and resolved alerts to the configured webhook as JSON
 * ({@code {"status": "firing"|"resolved", "alert": {...}}}), from its own thread and queue: the
 * evaluation never waits for the webhook. Failures are retried with backoff through a
 * {@link Guard}; while its breaker is open, notifications are dropped and counted rather than
 * piling up against a receiver that is down.
 */
public final class AlertNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
    static final int QUEUE = 1_000;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI url;
    private final Guard guard;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(QUEUE);
    private final LongAdder dropped = new LongAdder();
    private final Thread worker;

    public AlertNotifier(URI url, Guard guard, ObjectMapper mapper) {
        this.url = url;
        this.guard = guard;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.worker = Thread.ofVirtual().name("steward-alert-webhook").start(this::run);
    }

    /** Queues a notification; never blocks. */
    public void send(AlertState status, AlertView alert) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Map.of("status", status, "alert", alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert not serialisable", e);
        }
        if (!queue.offer(body)) {
            dropped.increment();
            LOG.warn("alert webhook queue full; a notification was dropped");
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            byte[] body;
            try {
                body = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                guard.call(() -> post(body));
            } catch (CallNotPermittedException e) {
                dropped.increment();
                LOG.warn("alert webhook circuit is open; a notification was dropped");
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.warn("alert webhook failed after retries: {}", e.getMessage());
            }
        }
    }

    private int post(byte[] body) {
        var request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "steward-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return OutboundHttp.send(http, request, 300);
    }

    public Guard guard() {
        return guard;
    }

    /** Notifications dropped (queue full, breaker open, or failed after retries), since start. */
    public long droppedCount() {
        return dropped.sum();
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
