package io.steward.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A GDPR request's and a backup's status and actions (and a request's type) are written once, as
 * enums in the API package: no string literal with one of their wire names anywhere else in the
 * server's or the console's code. The same words used for something else (a restore test's
 * "verified" column and detail, an enrolment "completed", an e-mail or a sign-in "failed", an export's audit
 * entry saying whether it is "complete") are named below, file by file.
 */
class WireNamesTest {
    private static final Path SERVER = Path.of("src/main/java");
    private static final Path CONSOLE = Path.of("../src/main/java");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Files where a word is another resource's, and the words. */
    private static final Map<String, Set<String>> OTHER_RESOURCES = Map.of(
            "io/steward/server/backup/BackupRepository.java", Set.of("verified"),
            "io/steward/server/backup/BackupService.java", Set.of("verified"),
            "io/steward/server/demo/DemoService.java", Set.of("completed", "failed"),
            "io/steward/server/users/UserService.java", Set.of("complete"),
            "io/steward/server/metrics/Metrics.java", Set.of("failed"));

    @Test
    void noStatusTypeOrActionIsWrittenAsAStringOutsideTheApi() throws IOException {
        var words = new java.util.HashSet<String>();
        Stream.of(GdprStatus.values()).map(GdprStatus::wireName).forEach(words::add);
        Stream.of(GdprType.values()).map(GdprType::wireName).forEach(words::add);
        Stream.of(GdprAction.values()).map(GdprAction::wireName).forEach(words::add);
        Stream.of(BackupStatus.values()).map(BackupStatus::wireName).forEach(words::add);
        Stream.of(BackupAction.values()).map(BackupAction::wireName).forEach(words::add);
        assertThat(literalsOutsideTheApi(words::contains)).isEmpty();
    }

    /** A path of the API is built from {@link io.steward.server.api.Endpoint}, never written out. */
    @Test
    void noPathOfTheApiIsWrittenOutsideTheEndpointTable() throws IOException {
        assertThat(literalsOutsideTheApi(literal ->
                        literal.startsWith("/api/") || literal.startsWith("/health") || literal.equals("/metrics")))
                .isEmpty();
    }

    private static List<String> literalsOutsideTheApi(java.util.function.Predicate<String> wanted) throws IOException {
        assertThat(Files.isDirectory(CONSOLE))
                .as("the console's sources beside the server's")
                .isTrue();
        var found = new ArrayList<String>();
        for (Path root : List.of(SERVER, CONSOLE)) {
            try (var files = Files.walk(root)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String name = root.relativize(file).toString().replace('\\', '/');
                    if (name.startsWith("io/steward/server/api/")) {
                        continue;
                    }
                    var allowed = OTHER_RESOURCES.getOrDefault(name, Set.of());
                    var lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        var m = LITERAL.matcher(lines.get(i));
                        while (m.find()) {
                            if (wanted.test(m.group(1)) && !allowed.contains(m.group(1))) {
                                found.add(name + ":" + (i + 1) + " \"" + m.group(1) + "\"");
                            }
                        }
                    }
                }
            }
        }
        return found;
    }
}
