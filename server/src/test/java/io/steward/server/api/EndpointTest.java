package io.steward.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The endpoint table: one entry per method and path, the documentation says the same, paths built safely. */
class EndpointTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+) (\\S+)` \\| (\\S+) \\| (\\S+) \\| (\\S+) \\|");

    @Test
    void eachMethodAndPathIsOneEntry() {
        assertThat(Arrays.stream(Endpoint.values()).map(Endpoint::toString).distinct())
                .hasSize(Endpoint.values().length);
    }

    @Test
    void theDocumentedTableIsTheTableInCode() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("../docs/api.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.put(
                        row.group(1) + " " + row.group(2), row.group(3) + " " + row.group(4) + " " + row.group(5));
            }
        }
        Map<String, String> inCode = Arrays.stream(Endpoint.values())
                .collect(Collectors.toMap(Endpoint::toString, EndpointTest::columns, (a, b) -> a, LinkedHashMap::new));
        assertThat(documented).containsExactlyEntriesOf(inCode);
    }

    private static String columns(Endpoint endpoint) {
        if (endpoint.permission().isPublic()) {
            return "public public public";
        }
        return List.of(Role.ADMIN, Role.SUPPORT, Role.AUDITOR).stream()
                .map(role -> endpoint.permission().allows(role) ? "✓" : "–")
                .collect(Collectors.joining(" "));
    }

    @Test
    void aPathIsBuiltFromTheTemplateWithEachValueOneSegment() {
        UUID id = UUID.fromString("4b1c9a70-0000-4000-8000-000000000001");
        assertThat(Endpoint.USER.path(id)).isEqualTo("/api/v1/users/" + id);
        assertThat(Endpoint.GDPR_RECIPIENT_NOTIFIED.path(id, "mail provider/eu"))
                .isEqualTo("/api/v1/gdpr/requests/" + id + "/recipients/mail%20provider%2Feu/notified");
        assertThat(Endpoint.FLAG_UPDATE.path("../admin")).isEqualTo("/api/v1/flags/..%2Fadmin");
        assertThat(Endpoint.USERS.path()).isEqualTo("/api/v1/users");
        assertThatThrownBy(() -> Endpoint.USER.path()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoint.USERS.path(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
