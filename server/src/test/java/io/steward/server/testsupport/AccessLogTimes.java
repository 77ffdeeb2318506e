package io.steward.server.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The server's own time for each request, read from its access log ({@code GET /path 200
 * 12.3ms}, with the request id in the MDC): from the request's dispatch until its answer was
 * handed to the socket.
 */
public final class AccessLogTimes extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final Pattern MILLIS = Pattern.compile(" ([0-9]+\\.[0-9])ms$");
    private final Map<String, Double> millisByRequestId = new ConcurrentHashMap<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("io.steward.server.access");

    /** Listens to the access log from now until {@link #close()}. */
    public static AccessLogTimes listen() {
        var times = new AccessLogTimes();
        times.start();
        times.access.addAppender(times);
        return times;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String id = event.getMDCPropertyMap().get("requestId");
        var m = MILLIS.matcher(event.getFormattedMessage());
        if (id != null && m.find()) {
            millisByRequestId.put(id, Double.parseDouble(m.group(1)));
        }
    }

    /** The server's milliseconds for {@code requestId}, once its access line is written (just after the answer). */
    public double millis(String requestId) {
        Conditions.await(
                Duration.ofSeconds(10),
                "the access log line of " + requestId,
                () -> millisByRequestId.containsKey(requestId));
        return millisByRequestId.remove(requestId);
    }

    @Override
    public void close() {
        access.detachAppender(this);
        stop();
    }
}
