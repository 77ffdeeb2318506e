package io.steward.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.Endpoint;
import io.steward.server.api.Permission;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every route of the access policy and every caller (no token, admin, support, auditor):
 * no token is 401 on protected routes, a role without the permission is 403, and a role with it
 * gets past authorization (any other status).
 */
class RouteRoleMatrixTest {
    static TestServer server;
    static final Map<Role, String> tokens = new EnumMap<>(Role.class);
    static final List<Role> STAFF = List.of(Role.ADMIN, Role.SUPPORT, Role.AUDITOR);

    @BeforeAll
    static void start() {
        server = TestServer.start("route_matrix");
        STAFF.forEach(role -> tokens.put(role, server.tokenFor(role)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> routesAndCallers() {
        var cases = new ArrayList<Arguments>();
        for (Endpoint route : List.of(Endpoint.values())) {
            cases.add(Arguments.of(route, null));
            STAFF.forEach(role -> cases.add(Arguments.of(route, role)));
        }
        return cases.stream();
    }

    static String concrete(String template) {
        return template.replace("{id}", UUID.randomUUID().toString())
                .replace("{recipient}", "newsletter-provider")
                .replace("{key}", "new-checkout")
                .replace("{type}", "soc2");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("routesAndCallers")
    void theStatusIsTheOneTheTableSays(Endpoint route, Role caller) throws java.io.IOException {
        // signing out would end the shared session: use a token of its own
        String token = caller == null
                ? null
                : route.template().equals("/api/v1/auth/logout") ? server.tokenFor(caller) : tokens.get(caller);
        Object body = Stream.of("POST", "PUT", "PATCH").anyMatch(route.method()::equals) ? Map.of() : null;
        try (Response r = server.call(route.method(), concrete(route.template()), token, body)) {
            // a live event stream never ends: its status is the answer
            boolean stream = String.valueOf(r.header("Content-Type")).startsWith("text/event-stream");
            String answer =
                    r.code() + " " + (stream ? "(event stream)" : r.body().string());
            if (route.permission().isPublic()) {
                assertThat(r.code()).as(answer).isNotIn(401, 403, 405);
            } else if (caller == null) {
                assertThat(r.code()).as(answer).isEqualTo(401);
            } else if (route.permission().allows(caller)) {
                assertThat(r.code()).as(answer).isNotIn(401, 403, 405);
                assertThat(answer).as("every endpoint has a handler").doesNotContain("not available on this server");
            } else {
                assertThat(r.code()).as(answer).isEqualTo(403);
            }
        }
    }

    @Test
    void theTableMatchesTheDesignsRoleColumns() {
        // spot checks against the route table in docs/api.md, so an edit of the table is a deliberate one
        assertThat(Permission.AUDIT_READ.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.AUDITOR);
        assertThat(Permission.USERS_READ.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.SUPPORT);
        assertThat(Permission.GDPR_APPROVE.roles()).containsExactly(Role.ADMIN);
        assertThat(Permission.SILENCES_WRITE.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.SUPPORT);
        assertThat(Permission.BACKUPS_READ.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.AUDITOR);
        assertThat(Permission.STAFF.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.SUPPORT, Role.AUDITOR);
        assertThat(Permission.SIGN_IN_LOCKOUTS.roles()).containsExactly(Role.ADMIN);
        assertThat(List.of(Endpoint.values())).hasSize(59);
        assertThat(java.util.Arrays.stream(Endpoint.values())
                        .filter(r -> r.permission().isPublic())
                        .map(Endpoint::template))
                .containsExactlyInAnyOrder("/health/live", "/health/ready", "/api/v1/auth/login");
    }

    @Test
    void theImplementedRoutesAnswerTheirCallers() {
        try (Response r = server.call("GET", "/api/v1/system", tokens.get(Role.AUDITOR), null)) {
            assertThat(r.code()).isEqualTo(200);
        }
        try (Response r = server.call("GET", "/api/v1/auth/me", tokens.get(Role.SUPPORT), null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(server.json(r).get("role").asText()).isEqualTo("support");
        }
    }
}
