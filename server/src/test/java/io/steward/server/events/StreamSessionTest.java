package io.steward.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live stream ends with the sign-in behind it, tried as a member of staff who keeps a stream
 * open after being signed out, deactivated or moved to another role, and bounded per sign-in and
 * per instance.
 */
class StreamSessionTest {
    TestServer server;
    final List<EventSource> sources = new ArrayList<>();

    @AfterEach
    void stop() {
        sources.forEach(EventSource::cancel);
        server.close();
    }

    static final class Stream extends EventSourceListener {
        final List<String> types = new CopyOnWriteArrayList<>();
        volatile @Nullable String endedWith;
        volatile boolean closed;
        volatile int refusedWith;

        @Override
        public void onEvent(EventSource source, @Nullable String id, @Nullable String type, String data) {
            types.add(String.valueOf(type));
            if (EventRoutes.SESSION_ENDED.equals(type)) {
                endedWith = data;
            }
        }

        @Override
        public void onClosed(EventSource source) {
            closed = true;
        }

        @Override
        public void onFailure(EventSource source, @Nullable Throwable t, @Nullable Response response) {
            if (response != null) {
                refusedWith = response.code();
            }
            closed = true;
        }
    }

    Stream open(String token) {
        var stream = new Stream();
        sources.add(server.events(token, null, stream));
        Conditions.await(
                Duration.ofSeconds(30),
                "metrics on the stream",
                () -> stream.types.contains("metrics") || stream.closed);
        assertThat(stream.closed).as("refused with %d", stream.refusedWith).isFalse();
        return stream;
    }

    String endsWith(Stream stream) throws Exception {
        Conditions.await(Duration.ofSeconds(30), "the stream ends", () -> stream.closed);
        assertThat(stream.endedWith).as("the last event is session-ended").isNotNull();
        assertThat(stream.types.getLast()).isEqualTo(EventRoutes.SESSION_ENDED);
        return server.mapper.readTree(stream.endedWith).get("reason").asText();
    }

    String idOf(String token) {
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            return server.json(r).get("id").asText();
        }
    }

    @Test
    void theStreamEndsAfterSignOutDeactivationRoleChangeAndExpiry() throws Exception {
        server = TestServer.start("stream_session");
        String admin = server.login(TestServer.ADMIN);

        String support = server.login(TestServer.SUPPORT);
        Stream signedOut = open(support);
        try (Response r = server.call("POST", "/api/v1/auth/logout", support, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        assertThat(endsWith(signedOut)).isEqualTo("you signed out");

        String auditor = server.login(TestServer.AUDITOR);
        Stream deactivated = open(auditor);
        try (Response r = server.call("PATCH", "/api/v1/users/" + idOf(auditor), admin, Map.of("active", false))) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(endsWith(deactivated)).isEqualTo("your account was deactivated");

        String moved = server.login(TestServer.SUPPORT);
        Stream roleChanged = open(moved);
        try (Response r = server.call("PATCH", "/api/v1/users/" + idOf(moved), admin, Map.of("role", "auditor"))) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(endsWith(roleChanged)).isEqualTo("your role was changed");

        Stream idle = open(server.login(TestServer.ADMIN));
        server.clock.advance(Duration.ofHours(8).plusMinutes(1));
        assertThat(endsWith(idle)).isEqualTo("it was not used for 8 hours");
    }

    @Test
    void aSignInHoldsAtMostFourStreamsAndTheInstanceItsConfiguredTotal() {
        server = TestServer.startWith("stream_limits", "--max-streams", "6");
        String one = server.login(TestServer.AUDITOR);
        for (int i = 0; i < EventRoutes.PER_TOKEN; i++) {
            open(one);
        }
        try (Response r = server.call("GET", "/api/v1/events", one, null)) {
            assertThat(r.code()).isEqualTo(429);
            JsonNode error = server.json(r).get("error");
            assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(error.get("message").asText()).contains("4 live streams");
            assertThat(r.header("Retry-After")).isNotBlank();
        }
        String other = server.login(TestServer.SUPPORT);
        open(other);
        open(other);
        try (Response r = server.call("GET", "/api/v1/events", other, null)) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(server.json(r).at("/error/message").asText()).contains("as many live streams");
        }
        // a stream that ends frees its place
        sources.getFirst().cancel();
        Conditions.await(Duration.ofSeconds(30), "a place is free again", () -> {
            var stream = new Stream();
            var source = server.events(other, null, stream);
            Conditions.await(Duration.ofSeconds(10), "an answer", () -> stream.closed || !stream.types.isEmpty());
            sources.add(source);
            return !stream.closed;
        });
    }
}
