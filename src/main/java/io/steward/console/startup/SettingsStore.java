package io.steward.console.startup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link ConsoleSettings} in {@code console.json} in the console's configuration folder
 * ({@code $XDG_CONFIG_HOME/steward}, else {@code ~/.config/steward}). A missing or unreadable file
 * means the defaults; a save replaces the file atomically, so a crash never leaves half of it.
 */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private final Path file;
    // one writer, so saves land in the order they were made
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "console-settings-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SettingsStore(Path folder) {
        this.file = folder.resolve("console.json");
    }

    /** The default folder for this user. */
    public static Path defaultFolder(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("steward");
    }

    public Path file() {
        return file;
    }

    public ConsoleSettings load() {
        if (!Files.exists(file)) {
            return ConsoleSettings.defaults();
        }
        try {
            ConsoleSettings settings = mapper.readValue(file.toFile(), ConsoleSettings.class);
            return settings.theme() == null ? settings.withTheme("light") : settings;
        } catch (IOException e) {
            LOG.warn("ignoring unreadable settings in {}: {}", file, e.getMessage());
            return ConsoleSettings.defaults();
        }
    }

    /** Saves in the background; saves are written in order. */
    public void saveLater(ConsoleSettings settings) {
        writer.execute(() -> save(settings));
    }

    /** Waits (up to five seconds) until every save asked for so far is written. */
    public void flush() {
        try {
            writer.submit(() -> {}).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("console settings may not be saved: {}", e.getMessage());
        }
    }

    public void save(ConsoleSettings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("console.json.tmp");
            mapper.writeValue(temporary.toFile(), settings);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not save the console settings to {}: {}", file, e.getMessage());
        }
    }
}
