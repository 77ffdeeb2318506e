package io.steward.console.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerAddressTest {
    @ParameterizedTest
    @CsvSource({
        "steward.example.org:8080, http://steward.example.org:8080/",
        "http://steward.example.org:8080, http://steward.example.org:8080/",
        "'  https://steward.example.org/  ', https://steward.example.org/",
        "HTTP://127.0.0.1:9000/api/v1, http://127.0.0.1:9000/",
        "http://user:secret@host:8080, http://host:8080/",
        "'http://[::1]:8080', 'http://[::1]:8080/'"
    })
    void whatPeopleTypeBecomesTheServersBaseAddress(String typed, String expected) {
        assertThat(ServerAddress.parse(typed)).hasToString(expected);
    }

    @org.junit.jupiter.api.Test
    void anEmptyAddressAsksForOne() {
        assertThatThrownBy(() -> ServerAddress.parse("  "))
                .hasMessage("Type the server's address, for example http://steward.example.org:8080");
    }

    @ParameterizedTest
    @CsvSource({
        "ftp://files.example.org, The address must start with http:// or https://.",
        "'http:///status', '“http:///status” has no host name.'",
        "'http://exa mple.org', '“http://exa mple.org” is not a web address.'"
    })
    void aMistakeIsNamed(String typed, String message) {
        assertThatThrownBy(() -> ServerAddress.parse(typed)).hasMessage(message);
    }
}
