package io.steward.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Downloads tried as a hostile member of staff would: clients that ask for the whole user list as
 * CSV and never read a byte of it. None of them may hold a database connection, so the instance
 * stays ready and everyone else's sign-ins and searches keep their pace; each person has at most
 * two downloads under way, and a client that reads nothing is cut off after the write timeout.
 */
class SlowReaderTest {
    static final int PEOPLE = 10;
    TestServer server;
    final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : stalled) {
            socket.close();
        }
        server.close();
    }

    /**
     * Asks for the export and reads only its status line, so that the download is known to have
     * its place before anything else is asked; then never reads again: a small receive window,
     * nothing more taken from it.
     */
    Socket neverRead(String token) throws Exception {
        URI uri = URI.create(server.baseUrl);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/users/export.csv HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                        + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        stalled.add(socket);
        socket.setSoTimeout(120_000);
        var status = new StringBuilder();
        for (int c; (c = socket.getInputStream().read()) >= 0 && c != '\n'; ) {
            status.append((char) c);
        }
        assertThat(status.toString()).as("the export's answer").startsWith("HTTP/1.1 200");
        return socket;
    }

    int status(String path, String token) {
        try (Response r = server.call("GET", path, token, null)) {
            r.body().bytes();
            return r.code();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    long millis(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void twentyClientsThatNeverReadAnExportTakeNothingFromAnyoneElse() throws Exception {
        server = TestServer.startWith("slow_readers", "--write-timeout", "150");
        TestDatabase.seedDemo(server.db, server.clock, 40_000);
        String admin = server.login(TestServer.ADMIN);
        var tokens = new ArrayList<String>();
        for (int i = 0; i < PEOPLE; i++) {
            String email = "support" + i + "@test.example";
            try (Response r = server.call(
                    "POST",
                    "/api/v1/users",
                    admin,
                    Map.of(
                            "email",
                            email,
                            "name",
                            "Support " + i,
                            "role",
                            "support",
                            "password",
                            TestServer.PASSWORD))) {
                assertThat(r.code()).isEqualTo(201);
            }
            tokens.add(server.login(email));
        }
        for (String token : tokens) {
            neverRead(token);
            neverRead(token);
        }
        // every one of the twenty is under way (each answered 200 above): a third download by the
        // same person is refused
        var seen = new java.util.concurrent.atomic.AtomicReference<String>("nothing yet");
        long began = System.nanoTime();
        Conditions.await(
                Duration.ofSeconds(140), () -> "all twenty exports under way; last seen: " + seen.get(), () -> {
                    assertThat(status("/health/ready", admin))
                            .as("readiness while exports stall")
                            .isEqualTo(200);
                    long busy = tokens.stream()
                            .filter(t -> status("/api/v1/users/export.csv?role=admin", t) == 429)
                            .count();
                    seen.set(busy + " of " + PEOPLE + " people with both downloads under way, after "
                            + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s; exports audited: "
                            + TestDatabase.strings(
                                            server.db,
                                            "SELECT count(*) FROM audit_log WHERE action = 'user.list_exported'")
                                    .getFirst());
                    return busy == PEOPLE;
                });

        // meanwhile the instance is ready, and sign-in and search keep their pace
        var signIns = new ArrayList<Long>();
        var searches = new ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            assertThat(status("/health/ready", admin)).isEqualTo(200);
            signIns.add(millis(() -> server.login(TestServer.SUPPORT)));
            searches.add(millis(() -> assertThat(status("/api/v1/users?search=smith&limit=50", admin))
                    .isEqualTo(200)));
        }
        assertThat(signIns.stream().sorted().toList().get(2))
                .as("median sign-in, ms: %s", signIns)
                .isLessThan(1_000L);
        assertThat(searches.stream().sorted().toList().get(2))
                .as("median search, ms: %s", searches)
                .isLessThan(1_000L);

        // a client that reads nothing is cut off after the write timeout; the export is audited as incomplete
        Conditions.await(
                Duration.ofSeconds(400),
                "the twenty stalled exports cut off and audited",
                () -> Long.parseLong(TestDatabase.strings(
                                        server.db,
                                        "SELECT count(*) FROM audit_log WHERE action = 'user.list_exported'"
                                                + " AND details ->> 'complete' = 'false'")
                                .getFirst())
                        == 2L * PEOPLE);
        assertThat(status("/api/v1/users/export.csv?role=admin", tokens.getFirst()))
                .as("the person's places are free again")
                .isEqualTo(200);
    }
}
