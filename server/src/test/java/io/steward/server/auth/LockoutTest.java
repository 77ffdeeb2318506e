package io.steward.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockoutTest {
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(
                "lockout", new AuthSettings(Duration.ofHours(8), 5, Duration.ofMinutes(15), 8, Duration.ofMinutes(15)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int signIn(String email, String password) {
        try (Response r =
                server.call("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", password))) {
            return r.code();
        }
    }

    @Test
    void fiveFailuresLockTheAccountEvenForTheRightPassword() {
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(TestServer.AUDITOR, "wrong password " + i)).isEqualTo(401);
        }
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.AUDITOR, "password", TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(899L, 900L);
        }
        long lockouts = server.db.read(tx -> {
            try (var ps =
                    tx.connection().prepareStatement("SELECT count(*) FROM audit_log WHERE action = 'auth.lockout'")) {
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(lockouts).isEqualTo(1);
    }

    @Test
    void theLockEndsAfterFifteenMinutes() {
        for (int i = 0; i < 5; i++) {
            signIn(TestServer.AUDITOR, "wrong password " + i);
        }
        server.clock.advance(Duration.ofMinutes(14));
        assertThat(signIn(TestServer.AUDITOR, TestServer.PASSWORD)).isEqualTo(429);
        server.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(signIn(TestServer.AUDITOR, TestServer.PASSWORD)).isEqualTo(200);
    }

    @Test
    void aSuccessfulSignInResetsTheFailureCount() {
        for (int i = 0; i < 4; i++) {
            signIn(TestServer.SUPPORT, "wrong password " + i);
        }
        assertThat(signIn(TestServer.SUPPORT, TestServer.PASSWORD)).isEqualTo(200);
        // without the reset these would make 7 in a row and lock the account
        for (int i = 0; i < 3; i++) {
            assertThat(signIn(TestServer.SUPPORT, "wrong again " + i)).isEqualTo(401);
        }
        assertThat(signIn(TestServer.SUPPORT, TestServer.PASSWORD)).isEqualTo(200);
    }

    @Test
    void oneAddressIsLimitedAcrossAccounts() {
        for (int i = 0; i < 8; i++) {
            assertThat(signIn("guess" + i + "@test.example", "wrong password")).isEqualTo(401);
        }
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.ADMIN, "password", TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
        }
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(signIn(TestServer.ADMIN, TestServer.PASSWORD)).isEqualTo(200);
    }
}
