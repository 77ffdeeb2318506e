package io.steward.console.shell;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which server the console uses: a remote one by URL, or the bundled one it starts itself.
 *
 * @param server the server's base URL; empty means "this computer" (the bundled server)
 * @param dataDir the bundled server's data folder; empty means its default
 * @param demoUsers demo users the bundled server seeds on first start
 */
public record ConnectionTarget(Optional<URI> server, Optional<Path> dataDir, int demoUsers) {
    public static final int DEFAULT_DEMO_USERS = 10_000;

    /** Reads {@code --server URL}, {@code --data-dir DIR} and {@code --demo=N}. */
    public static ConnectionTarget fromArguments(List<String> args) {
        Optional<URI> server = Optional.empty();
        Optional<Path> dataDir = Optional.empty();
        int demo = DEFAULT_DEMO_USERS;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--server") && i + 1 < args.size()) {
                server = Optional.of(URI.create(args.get(++i)));
            } else if (arg.startsWith("--server=")) {
                server = Optional.of(URI.create(arg.substring("--server=".length())));
            } else if (arg.equals("--data-dir") && i + 1 < args.size()) {
                dataDir = Optional.of(Path.of(args.get(++i)));
            } else if (arg.startsWith("--demo=")) {
                demo = Integer.parseInt(arg.substring("--demo=".length()));
            }
        }
        return new ConnectionTarget(server, dataDir, demo);
    }

    public boolean bundled() {
        return server.isEmpty();
    }
}
