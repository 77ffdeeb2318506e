package io.steward.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.server.http.TrustedProxies;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.net.InetAddress;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Behind a load balancer every connection comes from the balancer: the sign-in limits and the
 * audit trail must see the person's address, and only when the balancer is one we trust.
 */
class ForwardedAddressTest {

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void onlyATrustedPeerIsAskedWhoItForwardsForAndOnlyTheUnforgeableEnd() throws Exception {
        var proxies = TrustedProxies.parse("10.0.0.0/8, 192.168.1.5, ::1");
        // from the balancer: the right-most address that is not a balancer
        assertThat(proxies.clientOf(ip("10.1.2.3"), "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(proxies.clientOf(ip("10.1.2.3"), "198.51.100.1, 203.0.113.9, 10.9.9.9"))
                .isEqualTo("203.0.113.9");
        assertThat(proxies.clientOf(ip("::1"), "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
        // from anyone else: the header is theirs to write, so it is ignored
        assertThat(proxies.clientOf(ip("198.51.100.1"), "203.0.113.9")).isEqualTo("198.51.100.1");
        assertThat(proxies.clientOf(ip("192.168.1.6"), "203.0.113.9")).isEqualTo("192.168.1.6");
        // garbage or nothing: the peer
        assertThat(proxies.clientOf(ip("10.1.2.3"), "evil.example.org")).isEqualTo("10.1.2.3");
        assertThat(proxies.clientOf(ip("10.1.2.3"), null)).isEqualTo("10.1.2.3");
        assertThat(TrustedProxies.NONE.clientOf(ip("10.1.2.3"), "203.0.113.9")).isEqualTo("10.1.2.3");
        for (String bad : List.of("10.0.0.0/33", "localhost", "10.0.0", "10.0.0.0/x", "::1/129")) {
            assertThatThrownBy(() -> TrustedProxies.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    /** A failed sign-in to an account that does not exist (those never lock), through a balancer. */
    static int failedSignIn(TestServer server, String forwardedFor) {
        var request = new Request.Builder()
                .url(server.baseUrl + "/api/v1/auth/login")
                .header("X-Forwarded-For", forwardedFor)
                .post(RequestBody.create(
                        "{\"email\":\"guess-" + java.util.UUID.randomUUID() + "@test.example\",\"password\":\"wrong\"}",
                        TestServer.JSON))
                .build();
        try (Response r = server.execute(request)) {
            return r.code();
        }
    }

    static List<String> addressesRecorded(TestServer server) {
        return TestDatabase.strings(server.db, "SELECT DISTINCT ip_address FROM login_attempts ORDER BY 1");
    }

    @Test
    void behindATrustedBalancerEachPersonHasTheirOwnAddressLimit() {
        try (var server = TestServer.startWith("forwarded", "--trusted-proxies", "127.0.0.1")) {
            // 30 failures from one person's address use up that address's allowance ...
            for (int i = 0; i < 30; i++) {
                assertThat(failedSignIn(server, "203.0.113.9")).isEqualTo(401);
            }
            assertThat(failedSignIn(server, "203.0.113.9")).isEqualTo(429);
            // ... and nobody else's, although every request came through the same balancer
            assertThat(failedSignIn(server, "198.51.100.20")).isEqualTo(401);
            assertThat(addressesRecorded(server)).containsExactly("198.51.100.20", "203.0.113.9");
        }
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        try (var server = TestServer.startWith("forwarded_untrusted")) {
            assertThat(failedSignIn(server, "203.0.113.9")).isEqualTo(401);
            assertThat(addressesRecorded(server)).containsExactly("127.0.0.1");
        }
    }
}
