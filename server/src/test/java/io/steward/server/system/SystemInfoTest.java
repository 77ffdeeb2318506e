package io.steward.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SystemInfoTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("system_info");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void systemTellsVersionUptimeModeDatabaseAndMigrations() {
        String token = server.login(TestServer.AUDITOR);
        server.clock.advance(Duration.ofSeconds(90));
        try (Response r = server.call("GET", "/api/v1/system", token, null)) {
            assertThat(r.code()).isEqualTo(200);
            var body = server.json(r);
            assertThat(body.get("version").asText()).isNotBlank();
            assertThat(body.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(90);
            assertThat(body.get("mode").asText()).isEqualTo("external");
            assertThat(body.at("/database/product").asText()).isEqualTo("PostgreSQL");
            assertThat(body.at("/database/version").asText()).matches("\\d+\\.\\d+.*");
            assertThat(body.at("/database/url").asText())
                    .startsWith("jdbc:postgresql://")
                    .doesNotContain("password");
            var first = body.get("migrations").get(0);
            assertThat(first.get("version").asText()).isEqualTo("1");
            assertThat(first.get("description").asText()).isEqualTo("schema");
            assertThat(first.get("success").asBoolean()).isTrue();
            assertThat(body.at("/runtime/java").asText())
                    .isEqualTo(Runtime.version().toString());
            assertThat(body.at("/runtime/classSharing").asBoolean())
                    .as("this JVM's own answer: %s", System.getProperty("java.vm.info"))
                    .isEqualTo(System.getProperty("java.vm.info").contains("sharing"));
        }
    }
}
