package io.steward.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.api.AlertAction;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertState;
import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.GdprAction;
import io.steward.server.api.GdprStatus;
import io.steward.server.api.GdprType;
import io.steward.server.api.SilenceAction;
import io.steward.server.api.SilenceState;
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
 * A GDPR request's, a backup's, an alert's, an alert rule's and a silence's states and actions (and a request's type) are written once, as
 * enums in the API package: no string literal with one of their wire names anywhere else in the
 * server's or the console's code. The same words used for something else (a restore test's
 * "verified" column and detail, an enrolment "completed", an e-mail or a sign-in "failed", an export's audit
 * entry saying whether it is "complete", a user "active" or "inactive", a metric's "delete") are
 * named below, file by file.
 */
class WireNamesTest {
    private static final Path SERVER = Path.of("src/main/java");
    private static final Path CONSOLE = Path.of("../src/main/java");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Files where a word is another resource's, and the words. */
    private static final Map<String, Set<String>> OTHER_RESOURCES = Map.ofEntries(
            Map.entry("io/steward/server/backup/BackupRepository.java", Set.of("verified")),
            Map.entry("io/steward/server/backup/BackupService.java", Set.of("verified")),
            Map.entry("io/steward/server/demo/DemoService.java", Set.of("completed", "failed", "active")),
            Map.entry("io/steward/server/users/UserService.java", Set.of("complete", "active", "inactive")),
            Map.entry("io/steward/server/users/UserRepository.java", Set.of("active")),
            Map.entry("io/steward/server/users/UserRoutes.java", Set.of("active")),
            Map.entry("io/steward/server/credentials/TokenRepository.java", Set.of("active")),
            Map.entry("io/steward/server/auth/AuthService.java", Set.of("inactive")),
            Map.entry("io/steward/server/metrics/Metrics.java", Set.of("failed", "delete")),
            Map.entry("io/steward/console/users/UsersView.java", Set.of("active")),
            Map.entry("io/steward/console/users/UsersViewModel.java", Set.of("active", "inactive")));

    @Test
    void noStatusTypeOrActionIsWrittenAsAStringOutsideTheApi() throws IOException {
        var words = new java.util.HashSet<String>();
        Stream.of(GdprStatus.values()).map(GdprStatus::wireName).forEach(words::add);
        Stream.of(GdprType.values()).map(GdprType::wireName).forEach(words::add);
        Stream.of(GdprAction.values()).map(GdprAction::wireName).forEach(words::add);
        Stream.of(BackupStatus.values()).map(BackupStatus::wireName).forEach(words::add);
        Stream.of(BackupAction.values()).map(BackupAction::wireName).forEach(words::add);
        Stream.of(AlertState.values()).map(AlertState::wireName).forEach(words::add);
        Stream.of(AlertAction.values()).map(AlertAction::wireName).forEach(words::add);
        Stream.of(AlertRuleAction.values()).map(AlertRuleAction::wireName).forEach(words::add);
        Stream.of(SilenceState.values()).map(SilenceState::wireName).forEach(words::add);
        Stream.of(SilenceAction.values()).map(SilenceAction::wireName).forEach(words::add);
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
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                            continue; // a comment may quote the wire
                        }
                        var m = LITERAL.matcher(line);
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
