package io.steward.console.startup;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The console's command line: {@code --server URL} uses that server; {@code --demo[=N]} goes
 * straight to the server on this computer with N demo users (10 000 by default); {@code
 * --data-dir DIR} is that server's data folder; {@code --config-dir DIR} where the console keeps
 * its settings.
 */
public record LaunchOptions(Optional<URI> server, Optional<Path> dataDir, int demoUsers, Optional<Path> configDir) {
    public static final int DEFAULT_DEMO_USERS = 10_000;

    /** Reads the options; an unusable one is an {@link IllegalArgumentException} naming it. */
    public static LaunchOptions parse(List<String> args) {
        Optional<URI> server = Optional.empty();
        Optional<Path> dataDir = Optional.empty();
        Optional<Path> configDir = Optional.empty();
        int demo = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--server" ->
                    server = Optional.of(ServerAddress.parse(value != null ? value : next(args, ++i, name)));
                case "--data-dir" -> dataDir = Optional.of(Path.of(value != null ? value : next(args, ++i, name)));
                case "--config-dir" -> configDir = Optional.of(Path.of(value != null ? value : next(args, ++i, name)));
                case "--demo" -> demo = value == null ? DEFAULT_DEMO_USERS : demoUsers(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new LaunchOptions(server, dataDir, demo, configDir);
    }

    private static String next(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int demoUsers(String value) {
        try {
            int users = Integer.parseInt(value);
            if (users > 0) {
                return users;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--demo needs a positive number of users, not " + value);
    }
}
