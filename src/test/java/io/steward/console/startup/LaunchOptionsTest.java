package io.steward.console.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {
    @Test
    void demoWithoutANumberMeansTenThousandUsersOnThisComputer() {
        LaunchOptions options = LaunchOptions.parse(List.of("--demo"));
        assertThat(options.demoUsers()).isEqualTo(10_000);
        assertThat(options.server()).isEmpty();
    }

    @Test
    void everyOptionTakesItsValueAfterAnEqualsSignOrAsTheNextArgument() {
        LaunchOptions options = LaunchOptions.parse(List.of(
                "--server", "steward.example.org:8080", "--data-dir=/tmp/s", "--config-dir", "/tmp/c", "--demo=50"));
        assertThat(options.server()).contains(URI.create("http://steward.example.org:8080/"));
        assertThat(options.dataDir()).contains(Path.of("/tmp/s"));
        assertThat(options.configDir()).contains(Path.of("/tmp/c"));
        assertThat(options.demoUsers()).isEqualTo(50);
    }

    @Test
    void anUnknownOrIncompleteOptionIsNamed() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--sever", "x"))).hasMessage("unknown option --sever");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--server"))).hasMessage("--server needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--demo=lots")))
                .hasMessage("--demo needs a positive number of users, not lots");
    }
}
