package io.steward.server.embed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The JDK ahead-of-time cache that makes the installed programs start fast. The installer trains
 * one at build time and ships it xz-packed ({@code steward.aot.xz}, a sixth of its size); both
 * launchers name an unpacked copy in the user's cache folder with {@code -XX:AOTCache}. The first
 * start finds no copy, runs without it, and unpacks one for the next start; a reinstall brings a
 * new packed cache, which replaces the copy. A copy the JVM cannot use is ignored by the JVM.
 *
 * <p>The launchers say where both files are with the system properties {@code steward.aot.packed}
 * and {@code steward.aot.cache}; run any other way (tests, {@code java -jar}), this does nothing.
 */
public final class AotCache {
    private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);

    private final Path packed;
    private final Path cache;

    AotCache(Path packed, Path cache) {
        this.packed = packed;
        this.cache = cache;
    }

    /** The packed and unpacked cache the launcher named, if it named them. */
    public static Optional<AotCache> fromLauncher() {
        String packed = System.getProperty("steward.aot.packed");
        String cache = System.getProperty("steward.aot.cache");
        if (packed == null || cache == null || cache.contains("$")) {
            return Optional.empty(); // not started by a launcher, or $HOME was not set
        }
        return Optional.of(new AotCache(Path.of(packed), Path.of(cache)));
    }

    /**
     * Unpacks the cache on a background thread when the copy is missing or older than the packed
     * one, so that the next start uses it. Never fails the caller: problems are logged.
     */
    public void refreshInBackground() {
        Thread.ofPlatform().name("steward-aot-cache").daemon().start(() -> {
            try {
                refresh();
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not unpack the start-up cache to {}: {}", cache, e.getMessage());
            }
        });
    }

    /** Partial files of starts that ended while unpacking; a recent one may still be written. */
    private void removeAbandonedPartials() throws IOException {
        var abandoned = java.time.Instant.now().minus(java.time.Duration.ofMinutes(10));
        try (var files = Files.newDirectoryStream(cache.getParent(), cache.getFileName() + "*.partial")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(abandoned)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Unpacks now if needed; true when it did. */
    boolean refresh() throws IOException {
        if (!Files.isRegularFile(packed)) {
            return false;
        }
        Path stampFile = cache.resolveSibling(cache.getFileName() + ".source");
        String stamp =
                Files.size(packed) + " " + Files.getLastModifiedTime(packed).toMillis();
        if (Files.isRegularFile(cache)
                && Files.isRegularFile(stampFile)
                && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)) {
            return false;
        }
        Files.createDirectories(cache.getParent());
        removeAbandonedPartials();
        // a whole file or none: another Steward program may be unpacking or using it right now
        Path partial =
                Files.createTempFile(cache.getParent(), cache.getFileName().toString(), ".partial");
        try {
            try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(packed)))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(partial);
        }
        LOG.info("unpacked the start-up cache to {}; it is used from the next start", cache);
        return true;
    }
}
