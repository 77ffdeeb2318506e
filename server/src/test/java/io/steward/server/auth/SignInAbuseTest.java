package io.steward.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in tried as an attacker would, through a trusted balancer so that each request can come
 * from an address of its own: whether an account exists must not show, failures from one address
 * must not lock the account for anyone else, and a flood of sign-ins must not starve the rest.
 */
class SignInAbuseTest {
    static final String ATTACKER = "203.0.113.66";
    static final String COLLEAGUE = "198.51.100.7";
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start("sign_in_abuse", AuthSettings.defaults(), "--trusted-proxies", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Answer(int code, String body, String retryAfter) {}

    Answer signIn(String from, String email, String password) {
        var request = new Request.Builder()
                .url(server.baseUrl + "/api/v1/auth/login")
                .header("X-Forwarded-For", from)
                .post(RequestBody.create(
                        io.steward.server.http.Json.mapper()
                                .valueToTree(Map.of("email", email, "password", password))
                                .toString(),
                        TestServer.JSON))
                .build();
        try (Response r = server.execute(request)) {
            String body = r.body().string();
            // the request id differs from answer to answer; everything else must not
            return new Answer(r.code(), body.replaceAll("\"requestId\":\"[^\"]*\"", ""), r.header("Retry-After"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAccountThatExistsAnswersExactlyAsOneThatDoesNotAndIsLockedOnlyFromTheGuessingAddress() {
        String unknown = "nobody-" + System.nanoTime() + "@steward.local";
        for (int i = 0; i < 5; i++) {
            Answer known = signIn(ATTACKER, TestServer.SUPPORT, "wrong " + i);
            Answer none = signIn(ATTACKER, unknown, "wrong " + i);
            assertThat(known.code()).isEqualTo(401);
            assertThat(none).as("attempt %d", i + 1).isEqualTo(known);
        }
        Answer known = signIn(ATTACKER, TestServer.SUPPORT, TestServer.PASSWORD);
        Answer none = signIn(ATTACKER, unknown, "wrong");
        assertThat(known.code()).isEqualTo(429);
        assertThat(known.body()).contains("too many failed sign-ins for this account from this address");
        assertThat(none).isEqualTo(known);
        assertThat(Long.parseLong(known.retryAfter())).isBetween(899L, 900L);

        // the person the account belongs to, elsewhere, is not locked out
        assertThat(signIn(COLLEAGUE, TestServer.SUPPORT, TestServer.PASSWORD).code())
                .isEqualTo(200);
        // and signing in there does not unlock the guessing address
        assertThat(signIn(ATTACKER, TestServer.SUPPORT, TestServer.PASSWORD).code())
                .isEqualTo(429);
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(signIn(ATTACKER, TestServer.SUPPORT, TestServer.PASSWORD).code())
                .isEqualTo(200);
    }

    @Test
    void anAdminSeesLockoutsAndEndsOneAndThatIsAudited() {
        for (int i = 0; i < 5; i++) {
            signIn(ATTACKER, TestServer.AUDITOR, "wrong " + i);
        }
        String admin = server.login(TestServer.ADMIN);
        String support = server.login(TestServer.SUPPORT);
        try (Response r = server.call("GET", "/api/v1/auth/lockouts", support, null)) {
            assertThat(r.code()).isEqualTo(403);
        }
        try (Response r = server.call("GET", "/api/v1/auth/lockouts", admin, null)) {
            JsonNode items = server.json(r).get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("email").asText()).isEqualTo(TestServer.AUDITOR.toLowerCase());
            assertThat(items.get(0).get("ip").asText()).isEqualTo(ATTACKER);
            assertThat(items.get(0).get("lockedUntil").asText()).isNotBlank();
        }
        try (Response r = server.call("POST", "/api/v1/auth/lockouts/unlock", admin, Map.of("email", "x@y.z"))) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("ip");
        }
        var unlock = Map.of("email", TestServer.AUDITOR, "ip", ATTACKER);
        try (Response r = server.call("POST", "/api/v1/auth/lockouts/unlock", support, unlock)) {
            assertThat(r.code()).isEqualTo(403);
        }
        try (Response r = server.call("POST", "/api/v1/auth/lockouts/unlock", admin, unlock)) {
            assertThat(r.code()).isEqualTo(204);
        }
        try (Response r = server.call("POST", "/api/v1/auth/lockouts/unlock", admin, unlock)) {
            assertThat(r.code()).isEqualTo(404);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        }
        try (Response r = server.call("GET", "/api/v1/auth/lockouts", admin, null)) {
            assertThat(server.json(r).get("items")).isEmpty();
        }
        assertThat(TestDatabase.strings(server.db, "SELECT details->>'ip' FROM audit_log WHERE action = 'auth.unlock'"))
                .containsExactly(ATTACKER);
        // the failures start again from zero: four more do not lock it
        for (int i = 0; i < 4; i++) {
            assertThat(signIn(ATTACKER, TestServer.AUDITOR, "wrong again " + i).code())
                    .isEqualTo(401);
        }
        assertThat(signIn(ATTACKER, TestServer.AUDITOR, TestServer.PASSWORD).code())
                .isEqualTo(200);
    }

    @Test
    void anAccountAttackedFromManyAddressesIsNotLockedButRaisesAnAlert() {
        server.close();
        // a ceiling of 8 failures per account name, from all addresses together
        var settings = new AuthSettings(
                Duration.ofHours(8),
                5,
                Duration.ofMinutes(15),
                30,
                Duration.ofMinutes(15),
                8,
                2,
                Duration.ofSeconds(1));
        server = TestServer.start("sign_in_ceiling", settings, "--trusted-proxies", "127.0.0.1");
        Conditions.await(Duration.ofSeconds(60), "this instance leads", server.server::leads);
        for (int address = 1; address <= 3; address++) {
            for (int i = 0; i < 3; i++) {
                assertThat(signIn("192.0.2." + address, TestServer.ADMIN, "guess " + i)
                                .code())
                        .isEqualTo(401);
            }
        }
        // nine failures from three addresses lock nobody out: the admin still signs in from a fourth
        assertThat(signIn("192.0.2.4", TestServer.ADMIN, TestServer.PASSWORD).code())
                .isEqualTo(200);
        Conditions.await(
                Duration.ofSeconds(60),
                "SignInTargeted firing",
                () -> server.alertState("SignInTargeted").equals("firing"));
        try (Response r = server.call("GET", "/api/v1/auth/lockouts", server.login(TestServer.ADMIN), null)) {
            JsonNode body = server.json(r);
            assertThat(body.get("items")).isEmpty();
            JsonNode targeted = body.get("targeted");
            assertThat(targeted).hasSize(1);
            assertThat(targeted.get(0).get("email").asText()).isEqualTo(TestServer.ADMIN.toLowerCase());
            assertThat(targeted.get(0).get("failures").asInt()).isEqualTo(9);
            assertThat(targeted.get(0).get("addresses").asInt()).isEqualTo(3);
        }
    }

    @Test
    void twoHundredConcurrentWrongSignInsFromOneAddressHashLittleAndOthersStillSignIn() throws Exception {
        List<Future<Answer>> flood = new ArrayList<>();
        List<Long> colleague = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String email = "guess-" + i + "@steward.local";
                flood.add(pool.submit(() -> signIn(ATTACKER, email, "wrong")));
            }
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(signIn(COLLEAGUE, TestServer.ADMIN, TestServer.PASSWORD)
                                .code())
                        .isEqualTo(200);
                colleague.add((System.nanoTime() - start) / 1_000_000);
            }
            for (var answer : flood) {
                assertThat(answer.get().code()).isIn(401, 429);
            }
        }
        // every answer came before or after at most the address's allowance of hashed attempts
        long hashed = Long.parseLong(TestDatabase.strings(
                        server.db,
                        "SELECT count(*) FROM login_attempts WHERE ip_address = '" + ATTACKER
                                + "' AND reason IN ('unknown_account', 'bad_password')")
                .getFirst());
        assertThat(hashed).isBetween(1L, 30L + SignInGate.PER_ADDRESS);
        List<Long> sorted = colleague.stream().sorted().toList();
        assertThat(sorted.get(2))
                .as("median sign-in from another address, ms: %s", colleague)
                .isLessThan(1_000L);
        assertThat(sorted.get(4)).as("slowest, ms: %s", colleague).isLessThan(3_000L);
    }
}
