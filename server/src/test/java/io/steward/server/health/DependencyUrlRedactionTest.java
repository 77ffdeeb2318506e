package io.steward.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.RecordingHttpServer;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A dependency's URL may carry secrets (user-info, an API key in the query, a fragment): Steward
 * calls the dependency with them, and shows, stores, logs and reports the URL without them.
 */
class DependencyUrlRedactionTest {
    static final String USER = "probe-user-7731";
    static final String PASSWORD = "pw-SECRET-5150";
    static final String API_KEY = "KEY-SECRET-8812";
    static final String FRAGMENT = "FRAG-SECRET-3301";
    static final List<String> SECRETS = List.of(USER, PASSWORD, API_KEY, FRAGMENT);

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    RecordingHttpServer dependency;
    String dependencyAt;
    int refusingPort;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        dependency = new RecordingHttpServer(200);
        var at = java.net.URI.create(dependency.url("/"));
        dependencyAt = at.getHost() + ":" + at.getPort();
        // a port nothing listens on: connections to it are refused
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusingPort = probe.getLocalPort();
        }
        logs.start();
        root().addAppender(logs);
        String secrets = USER + ":" + PASSWORD + "@%s/health?api_key=" + API_KEY + "&probe=1#" + FRAGMENT;
        server = TestServer.startWith(
                "dependency_redaction",
                "--dependencies",
                "payments=http://" + secrets.formatted(dependencyAt) + ",ledger=http://"
                        + secrets.formatted("127.0.0.1:" + refusingPort),
                "--health-interval",
                "1");
    }

    @AfterEach
    void stop() {
        root().detachAppender(logs);
        if (server != null) {
            server.close();
        }
        dependency.close();
    }

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    String get(String path, String token) {
        try (Response r = server.call("GET", path, token, null)) {
            assertThat(r.code()).as(path).isEqualTo(200);
            return r.body().string();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final class Collector extends EventSourceListener {
        final List<String> data = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(EventSource source, @Nullable String id, @Nullable String type, String event) {
            if ("health".equals(type)) {
                data.add(event);
            }
        }
    }

    @Test
    void secretsInADependencyUrlReachTheDependencyAndNothingElse() {
        String token = server.tokenFor(Role.ADMIN);
        Conditions.await(Duration.ofSeconds(20), "payments up and ledger down", () -> {
            String health = get("/api/v1/health", token);
            return health.contains("\"dependency:payments\":{\"status\":\"UP\"")
                    && health.contains("\"dependency:ledger\":{\"status\":\"DOWN\"");
        });

        // the dependency was called with its credentials and its query
        String basic =
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(dependency.authorizations).contains(basic);
        assertThat(dependency.targets).contains("/health?api_key=" + API_KEY + "&probe=1");

        // a change of status is pushed on the live stream with the whole report
        var events = new Collector();
        EventSource stream = server.events(token, null, events);
        try {
            dependency.answer(503);
            Conditions.await(
                    Duration.ofSeconds(30),
                    "the health event of payments going down",
                    () -> events.data.stream()
                            .anyMatch(e -> e.contains("\"dependency:payments\":{\"status\":\"DOWN\"")));
        } finally {
            stream.cancel();
        }

        String health = get("/api/v1/health", token);
        assertThat(health)
                .as("the URL is shown without user-info, query or fragment")
                .contains("\"url\":\"http://" + dependencyAt + "/health\"")
                .contains("\"url\":\"http://127.0.0.1:" + refusingPort + "/health\"");

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        var answers = new ArrayList<String>();
        answers.add(health);
        answers.add(get("/api/v1/health/history?limit=500", token));
        String ledger = get("/api/v1/health/history?check=dependency:ledger", token);
        assertThat(ledger).as("the refused call is named").contains("cannot connect");
        answers.add(ledger);
        answers.add(get("/api/v1/system", token));
        answers.add(get("/metrics", token));
        for (String report : List.of("soc2", "gdpr", "iso27001")) {
            answers.add(get("/api/v1/reports/" + report + "?from=" + today + "&format=json", token));
        }
        answers.addAll(events.data);
        for (String secret : SECRETS) {
            assertThat(answers).as("answers holding %s", secret).noneMatch(a -> a.contains(secret));
            assertThat(TestDatabase.tablesContaining(server.db, secret))
                    .as("tables holding %s", secret)
                    .isEmpty();
        }
        List<String> details = TestDatabase.strings(
                server.db, "SELECT details::text FROM health_history WHERE check_name LIKE 'dependency:%'");
        assertThat(details).anyMatch(d -> d.contains("/health")).anyMatch(d -> d.contains("cannot connect"));

        var lines = new ArrayList<String>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            lines.add(e.getFormattedMessage());
            e.getMDCPropertyMap().values().forEach(lines::add);
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertThat(lines).as("log lines").isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(lines).as("log lines holding %s", secret).noneMatch(l -> l != null && l.contains(secret));
        }
    }
}
