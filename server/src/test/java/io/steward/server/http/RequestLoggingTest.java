package io.steward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RequestLoggingTest {
    static TestServer server;
    static final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeAll
    static void start() {
        server = TestServer.start("request_logging");
        events.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(events);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(events);
        server.close();
    }

    @Test
    void everyLogLineOfARequestCarriesItsRequestId() {
        String token = server.login(TestServer.ADMIN);
        TestDatabase.asOwner(server.db, "ALTER TABLE staff_tokens RENAME COLUMN revoked_at TO revoked_at_moved");
        try (Response r = server.execute(new Request.Builder()
                .url(server.baseUrl + "/api/v1/auth/me")
                .header("Authorization", "Bearer " + token)
                .header("X-Request-Id", "trace-me-4711")
                .build())) {
            assertThat(r.code()).isEqualTo(500);
        } finally {
            TestDatabase.asOwner(server.db, "ALTER TABLE staff_tokens RENAME COLUMN revoked_at_moved TO revoked_at");
        }
        // the access line is written once the response is out: wait for it
        io.steward.server.testsupport.Conditions.await(
                java.time.Duration.ofSeconds(10),
                "the access log line",
                () -> List.copyOf(events.list).stream()
                        .anyMatch(e -> e.getLoggerName().equals("io.steward.server.access")
                                && "trace-me-4711".equals(e.getMDCPropertyMap().get("requestId"))));
        var ofRequest = List.copyOf(events.list).stream()
                .filter(e -> "trace-me-4711".equals(e.getMDCPropertyMap().get("requestId")))
                .toList();
        assertThat(ofRequest)
                .extracting(ILoggingEvent::getLoggerName)
                .contains("io.steward.server.http.ErrorMapper", "io.steward.server.access");
        assertThat(ofRequest)
                .filteredOn(e -> e.getLoggerName().equals("io.steward.server.http.ErrorMapper"))
                .singleElement()
                .satisfies(e -> assertThat(e.getThrowableProxy())
                        .as("the stack trace stays in the log")
                        .isNotNull());
        assertThat(ofRequest).noneMatch(e -> e.getFormattedMessage().contains(token));
    }
}
