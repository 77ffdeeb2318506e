package io.steward.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServiceUrlTest {
    static final ServiceUrl URL = new ServiceUrl(
            URI.create("http://probe:pa%40ss-word@host.example:8080/health/v1?api_key=K3Y-VALUE&x=1#frag-ment"));

    @Test
    void shownIsSchemeHostPortAndPathOnly() {
        assertThat(URL.shown()).isEqualTo("http://host.example:8080/health/v1");
        assertThat(URL).hasToString("http://host.example:8080/health/v1");
        assertThat(new ServiceUrl(URI.create("https://[::1]/")).shown()).isEqualTo("https://[::1]/");
        assertThat(new ServiceUrl(URI.create("https://u@h.example")).shown()).isEqualTo("https://h.example");
    }

    @Test
    void theCallKeepsTheQueryAndSendsTheUserInfoAsBasicCredentials() {
        assertThat(URL.target()).hasToString("http://host.example:8080/health/v1?api_key=K3Y-VALUE&x=1");
        assertThat(URL.authorization())
                .contains("Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString("probe:pa@ss-word".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(new ServiceUrl(URI.create("http://h.example/x")).authorization())
                .isEmpty();
    }

    @Test
    void textThatQuotesTheUrlOrItsSecretsIsScrubbed() {
        String message = "GET http://probe:pa%40ss-word@host.example:8080/health/v1?api_key=K3Y-VALUE&x=1#frag-ment"
                + " failed; retried http://host.example:8080/health/v1?api_key=K3Y-VALUE&x=1 as probe with pa@ss-word,"
                + " key K3Y-VALUE, fragment frag-ment";
        String scrubbed = URL.scrub(message);
        assertThat(scrubbed)
                .doesNotContain("probe", "pa%40ss-word", "pa@ss-word", "K3Y-VALUE", "frag-ment")
                .startsWith(
                        "GET http://host.example:8080/health/v1 failed; retried http://host.example:8080/health/v1 as");
        assertThat(URL.scrub(null)).isEmpty();
        assertThat(URL.scrub("Connection refused")).isEqualTo("Connection refused");
    }

    @Test
    void textThatIsNoValidUrlLosesUserInfoQueryAndFragmentToo() {
        assertThat(ServiceUrl.shown("http://u:secret@host:port-not-a-number/p?k=v#f"))
                .isEqualTo("http://host:port-not-a-number/p");
        assertThat(ServiceUrl.shown("ftp://host/x?y")).isEqualTo("ftp://host/x");
        assertThat(ServiceUrl.shown("not a url ?k=v")).isEqualTo("not a url ");
    }
}
