package io.steward.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.QueryObserver;
import io.steward.server.http.RequestObserver;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's meters, in one Prometheus registry: every HTTP request by method, route template
 * and status; every database statement by operation and table; the connection pool; the JVM and
 * the process; and the business events, counted from the audit trail as each change commits.
 * Also keeps the plain running totals the time-series store derives its rates from.
 */
public final class Metrics implements AutoCloseable {
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
    private static final Pattern TABLE =
            Pattern.compile("(?is)\\b(?:from|into|update|join)\\s+(?:only\\s+)?\"?([a-z_][a-z0-9_]*)\"?");
    private static final int MAX_CACHED_STATEMENTS = 2_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final VirtualThreadMetrics virtualThreads = new VirtualThreadMetrics();
    private final Thread virtualThreadBinding;
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> queryTimers = new ConcurrentHashMap<>();
    private final Timer allRequests;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder failedQueries = new LongAdder();
    private final Counter loginsOk;
    private final Counter loginsFailed;
    private final Counter usersCreated;
    private final Counter gdprOpened;
    private final Counter gdprCompleted;
    private final Counter erasures;

    private record RequestKey(String method, String route, int status) {}

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        // its meters come from a JFR stream, whose start-up costs a few hundred milliseconds of
        // class loading: done beside the server's start rather than in its way
        virtualThreadBinding = Thread.ofPlatform()
                .name("steward-metrics-binding")
                .daemon()
                .start(() -> virtualThreads.bindTo(registry));
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("http.server.requests.active", activeRequests, AtomicInteger::get)
                .description("HTTP requests being handled now")
                .register(registry);
        allRequests = Timer.builder("http.server.requests.all")
                .description("Every HTTP request, whatever its route: the latency percentiles the console shows")
                .publishPercentiles(PERCENTILES)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .distributionStatisticBufferLength(3)
                .register(registry);
        loginsOk = business("steward.logins", "Staff sign-ins", "result", "ok");
        loginsFailed = business("steward.logins", "Staff sign-ins", "result", "failed");
        usersCreated = business("steward.users.created", "Accounts created through Steward");
        gdprOpened = business("steward.gdpr.requests.opened", "Data-subject requests opened");
        gdprCompleted = business("steward.gdpr.requests.completed", "Data-subject requests completed");
        erasures = business("steward.gdpr.erasures", "Subjects erased (Art. 17)");
    }

    private Counter business(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Instruments {@code db}: its statements through {@link #queryObserver()}, and its pool. */
    public void instrument(Database db) {
        db.observeQueries(queryObserver());
        db.instrumentPool(registry);
    }

    /** Times HTTP requests by method, route template and status. */
    public RequestObserver requestObserver() {
        return new RequestObserver() {
            @Override
            public void started() {
                activeRequests.incrementAndGet();
            }

            @Override
            public void finished(String method, String route, int status, long nanos) {
                activeRequests.decrementAndGet();
                requests.increment();
                if (status >= 500) {
                    serverErrors.increment();
                }
                allRequests.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                requestTimers
                        .computeIfAbsent(new RequestKey(method, route, status), Metrics.this::requestTimer)
                        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    private Timer requestTimer(RequestKey key) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .tag("outcome", outcome(key.status()))
                .publishPercentiles(PERCENTILES)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .distributionStatisticBufferLength(3)
                .register(registry);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            default -> "SERVER_ERROR";
        };
    }

    /** Times database statements by operation and the first table they name. */
    public QueryObserver queryObserver() {
        return (sql, nanos, failed) -> {
            queries.increment();
            if (failed) {
                failedQueries.increment();
            }
            Timer timer = queryTimers.get(sql);
            if (timer == null) {
                timer = queryTimer(sql);
                if (queryTimers.size() < MAX_CACHED_STATEMENTS) {
                    queryTimers.put(sql, timer);
                }
            }
            timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        };
    }

    private Timer queryTimer(String sql) {
        return Timer.builder("db.queries")
                .description("SQL statements through the pool, by operation and table")
                .tag("operation", operation(sql))
                .tag("table", table(sql))
                .register(registry);
    }

    /** The statement's verb, lower case; a {@code WITH} query counts as what its last part does. */
    static String operation(String sql) {
        String trimmed = sql.stripLeading();
        int end = 0;
        while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
            end++;
        }
        String verb = trimmed.substring(0, end).toLowerCase(Locale.ROOT);
        if (verb.equals("with")) {
            String lower = trimmed.toLowerCase(Locale.ROOT);
            for (String candidate : new String[] {"insert", "update", "delete"}) {
                if (lower.matches("(?s).*\\)\\s*" + candidate + "\\b.*")) {
                    return candidate;
                }
            }
            return "select";
        }
        return switch (verb) {
            case "select", "insert", "update", "delete", "lock", "set", "copy", "create", "alter", "drop", "truncate" ->
                verb;
            default -> "other";
        };
    }

    /** The first table the statement names, or {@code none}. */
    static String table(String sql) {
        Matcher m = TABLE.matcher(sql);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "none";
    }

    /** Counts business events from audit entries once their transaction has committed. */
    public void countBusinessEvents(AuditService audit) {
        audit.onCommitted(recorded -> {
            var event = recorded.event();
            switch (event.action()) {
                case "auth.login" -> loginsOk.increment();
                case "auth.login_failed", "auth.login_locked" -> loginsFailed.increment();
                case "user.created" -> usersCreated.increment();
                case "gdpr.request_opened" -> gdprOpened.increment();
                case "gdpr.request_completed" -> {
                    gdprCompleted.increment();
                    if (io.steward.server.api.GdprType.ERASURE
                            .wireName()
                            .equals(event.details().get("type"))) {
                        erasures.increment();
                    }
                }
                default -> {}
            }
        });
    }

    /** Registers a gauge read from {@code value} at each scrape. */
    public void gauge(String name, String description, java.util.function.DoubleSupplier value) {
        Gauge.builder(name, value, java.util.function.DoubleSupplier::getAsDouble)
                .description(description)
                // the gauge would otherwise hold the supplier weakly: a lambda nothing else keeps
                // is collected, and the gauge reads NaN from then on
                .strongReference(true)
                .register(registry);
    }

    /** Running totals since start, for rates. */
    public long requestCount() {
        return requests.sum();
    }

    public long serverErrorCount() {
        return serverErrors.sum();
    }

    public long queryCount() {
        return queries.sum();
    }

    public long failedQueryCount() {
        return failedQueries.sum();
    }

    public long loginsFailedCount() {
        return (long) loginsFailed.count();
    }

    public int activeRequests() {
        return activeRequests.get();
    }

    /** p50/p95/p99 of every request in the last minute, in milliseconds (NaN with no requests). */
    public double[] latencyPercentilesMillis() {
        var values = allRequests.takeSnapshot().percentileValues();
        double[] millis = new double[PERCENTILES.length];
        java.util.Arrays.fill(millis, Double.NaN);
        if (allRequests.count() == 0) {
            return millis;
        }
        for (int i = 0; i < values.length && i < millis.length; i++) {
            millis[i] = values[i].value(java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return millis;
    }

    /** The sum of a meter's statistic across its tags, e.g. the pool's connection timeouts. */
    public double total(String meterName) {
        return registry.find(meterName).meters().stream()
                .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
                .filter(ms -> ms.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT)
                .mapToDouble(io.micrometer.core.instrument.Measurement::getValue)
                .sum();
    }

    @Override
    public void close() {
        gc.close();
        try {
            virtualThreadBinding.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        virtualThreads.close();
        registry.close();
    }
}
