package io.steward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

    @Test
    void defaultsAreLoopbackPort8080AndTheXdgDataHome() {
        var config = ServerConfig.parse(new String[0], Map.of("XDG_DATA_HOME", "/srv/xdg"));
        assertThat(config.bind()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/xdg/steward"));
        assertThat(config.embeddedDatabase()).isTrue();
        assertThat(config.demoUsers()).isZero();
    }

    @Test
    void optionsWinOverTheEnvironment() {
        var config = ServerConfig.parse(
                new String[] {"--port=9000", "--bind", "0.0.0.0", "--db-url", "jdbc:postgresql://db/steward"},
                Map.of("STEWARD_PORT", "7000", "STEWARD_BIND", "10.0.0.1", "STEWARD_DB_USER", "steward"));
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.bind()).isEqualTo("0.0.0.0");
        assertThat(config.dbUrl()).contains("jdbc:postgresql://db/steward");
        assertThat(config.dbUser()).contains("steward");
        assertThat(config.embeddedDatabase()).isFalse();
    }

    @Test
    void theDatabaseRolesAndTheAuditKeyAreOptions() {
        var config = ServerConfig.parse(
                new String[] {
                    "--db-url",
                    "jdbc:postgresql://db/steward",
                    "--db-owner-user",
                    "steward_owner",
                    "--allow-superuser",
                    "--audit-anchor-url",
                    "https://logs.example/anchor"
                },
                Map.of("STEWARD_DB_OWNER_PASSWORD", "secret", "STEWARD_AUDIT_SIGNING_KEY_FILE", "keys/audit"));
        assertThat(config.dbOwnerUser()).contains("steward_owner");
        assertThat(config.dbOwnerPassword()).contains("secret");
        assertThat(config.allowSuperuser()).isTrue();
        assertThat(config.auditSigningKey()).isEqualTo(Path.of("keys/audit").toAbsolutePath());
        assertThat(config.auditAnchorUrl())
                .hasValueSatisfying(uri -> assertThat(uri.getHost()).isEqualTo("logs.example"));
        var defaults = ServerConfig.parse(new String[] {"--data-dir", "/srv/steward"}, Map.of());
        assertThat(defaults.allowSuperuser()).isFalse();
        assertThat(defaults.auditSigningKey()).isEqualTo(Path.of("/srv/steward/audit-signing-key"));
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--db-owner-user", "steward_owner"}, Map.of()))
                .hasMessageContaining("--db-owner-user is for --db-url");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--audit-anchor-url", "ftp://x"}, Map.of()))
                .hasMessageContaining("--audit-anchor-url wants an http:// or https:// URL");
    }

    @ParameterizedTest
    @CsvSource({"--demo, 10000", "--demo=250, 250"})
    void demoTakesAnOptionalCount(String arg, int expected) {
        assertThat(ServerConfig.parse(new String[] {arg}, Map.of()).demoUsers()).isEqualTo(expected);
        assertThat(ServerConfig.parse(new String[0], Map.of("STEWARD_DEMO", "true"))
                        .demoUsers())
                .isEqualTo(10_000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--port=70000      | --port must be between 0 and 65535",
                "--port=abc        | --port must be a whole number",
                "--colour=blue     | unknown option --colour",
                "stray             | unexpected argument: stray",
                "--data-dir        | option --data-dir needs a value",
                "--restore-drill=weekly | --restore-drill must be off or a period such as 7d, 24h or 30m, got weekly",
                "--restore-drill=0d | --restore-drill must be off or a period",
            })
    void badOptionsAreRefusedWithAMessage(String arg, String message) {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {arg}, Map.of()))
                .isInstanceOf(ServerConfig.InvalidOption.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"7d, PT168H", "24h, PT24H", "30m, PT30M", "off, ''"})
    void theRestoreDrillTakesAPeriodOrOff(String value, String expected) {
        var config = ServerConfig.parse(new String[] {"--restore-drill", value}, Map.of());
        assertThat(config.restoreDrill().map(java.time.Duration::toString).orElse(""))
                .isEqualTo(expected);
        assertThat(ServerConfig.parse(new String[0], Map.of()).restoreDrill()).contains(java.time.Duration.ofDays(7));
    }

    @Test
    void secretsStayOutOfTheTextForm() {
        var config = ServerConfig.parse(
                new String[] {"--db-password", "hunter2hunter2", "--tls-password", "tls-secret"}, Map.of());
        assertThat(config.toString()).doesNotContain("hunter2hunter2").doesNotContain("tls-secret");
    }
}
