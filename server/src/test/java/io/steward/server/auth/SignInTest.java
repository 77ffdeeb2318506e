package io.steward.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.credentials.PasswordHasher;
import io.steward.server.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignInTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("sign_in");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void staffSignInReturnsATokenThatIdentifiesThem() {
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.SUPPORT.toUpperCase(), "password", TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(200);
            var body = server.json(r);
            assertThat(body.get("token").asText()).hasSizeGreaterThanOrEqualTo(43);
            assertThat(body.get("user").get("email").asText()).isEqualTo(TestServer.SUPPORT);
            assertThat(body.get("user").get("role").asText()).isEqualTo("support");
            assertThat(body.get("user").has("passwordHash")).isFalse();
            assertThat(body.get("user").get("lastLogin").isNull()).isFalse();
            assertThat(java.time.Instant.parse(body.get("expiresAt").asText()))
                    .isEqualTo(server.clock.instant().plus(Duration.ofHours(8)));

            try (Response me =
                    server.call("GET", "/api/v1/auth/me", body.get("token").asText(), null)) {
                assertThat(me.code()).isEqualTo(200);
                assertThat(server.json(me).get("email").asText()).isEqualTo(TestServer.SUPPORT);
            }
        }
    }

    @Test
    void onlyTheTokensDigestIsStored() throws Exception {
        String token = server.login(TestServer.AUDITOR);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        int matches = server.db.read(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement(
                            "SELECT count(*) FROM staff_tokens WHERE token_hash = ? OR encode(token_hash, 'escape') LIKE ?")) {
                ps.setBytes(1, digest);
                ps.setString(2, "%" + token + "%");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        assertThat(matches).isEqualTo(1);
    }

    @Test
    void passwordsAreStoredAsArgon2id() {
        String hash = server.db.read(tx -> {
            try (var ps = tx.connection().prepareStatement("SELECT password_hash FROM users WHERE email = ?")) {
                ps.setString(1, TestServer.ADMIN);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(TestServer.PASSWORD);
    }

    @Test
    void aWrongPasswordIsInvalidCredentials() {
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.AUDITOR, "password", "not the password"))) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("INVALID_CREDENTIALS");
        }
    }

    @Test
    void anUnknownAccountGetsTheSameAnswerAsAWrongPassword() {
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", "nobody@test.example", "password", "whatever it is"))) {
            assertThat(r.code()).isEqualTo(401);
            var error = server.json(r).get("error");
            assertThat(error.get("code").asText()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(error.get("message").asText()).isEqualTo("email or password is wrong");
        }
    }

    @Test
    void platformUsersMayNotSignIn() {
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.STUDENT, "password", TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void aMissingPasswordIsAValidationErrorNamingTheField() {
        try (Response r = server.call("POST", "/api/v1/auth/login", null, Map.of("email", TestServer.ADMIN))) {
            assertThat(r.code()).isEqualTo(400);
            var error = server.json(r).get("error");
            assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("field").asText()).isEqualTo("password");
        }
    }

    @Test
    void logoutRevokesTheTokenAtOnce() {
        String token = server.login(TestServer.ADMIN);
        try (Response r = server.call("POST", "/api/v1/auth/logout", token, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            assertThat(r.code()).isEqualTo(401);
            var error = server.json(r).get("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(error.get("message").asText()).isEqualTo("this sign-in ended: you signed out; sign in again");
        }
    }

    @Test
    void aTokenExpiresAfterEightHoursWithoutUse() {
        String token = server.login(TestServer.ADMIN);
        server.clock.advance(Duration.ofHours(8).plusSeconds(1));
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(server.json(r).at("/error/message").asText())
                    .isEqualTo("this sign-in ended: it was not used for 8 hours; sign in again");
        }
    }

    @Test
    void usingATokenKeepsItAlive() {
        String token = server.login(TestServer.ADMIN);
        for (int i = 0; i < 3; i++) {
            server.clock.advance(Duration.ofHours(7));
            try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
                assertThat(r.code()).as("after %d × 7 h of use", i + 1).isEqualTo(200);
            }
        }
    }

    @Test
    void aGarbageTokenIsUnauthenticated() {
        for (String token : List.of("x", "Bearer", "a".repeat(5000), "' OR 1=1 --")) {
            try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
            }
        }
    }

    @Test
    void signInFailureAndSignOutAreAudited() {
        String token = server.login(TestServer.SUPPORT);
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.SUPPORT, "password", "wrong wrong wrong"))) {
            assertThat(r.code()).isEqualTo(401);
        }
        try (Response r = server.call("POST", "/api/v1/auth/logout", token, null)) {
            assertThat(r.code()).isEqualTo(204);
        }
        List<String> actions = server.db.read(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement(
                            "SELECT a.action FROM audit_log a JOIN users u ON u.id = a.subject_id WHERE u.email = ? ORDER BY a.seq")) {
                ps.setString(1, TestServer.SUPPORT);
                try (var rs = ps.executeQuery()) {
                    var list = new java.util.ArrayList<String>();
                    while (rs.next()) {
                        list.add(rs.getString(1));
                    }
                    return list;
                }
            }
        });
        assertThat(actions).containsSubsequence("auth.login", "auth.login_failed", "auth.logout");
    }

    @Test
    void theTokenOfADeactivatedAccountStopsWorkingAtOnce() {
        String email = "leaver@test.example";
        server.db.inTransaction(tx -> {
            new io.steward.server.users.UserRepository()
                    .insert(
                            tx,
                            java.util.UUID.randomUUID(),
                            email,
                            "Lee Leaver",
                            io.steward.server.api.Role.SUPPORT,
                            new PasswordHasher().hash(TestServer.PASSWORD),
                            server.clock.instant());
            return null;
        });
        String token = server.login(email);
        server.db.inTransaction(tx -> {
            try (var ps = tx.connection().prepareStatement("UPDATE users SET active = false WHERE email = ?")) {
                ps.setString(1, email);
                return ps.executeUpdate();
            }
        });
        try (Response r = server.call("GET", "/api/v1/auth/me", token, null)) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(server.json(r).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        }
    }
}
