package io.steward.server.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class AotCacheTest {
    @TempDir
    Path dir;

    private Path pack(byte[] content) throws IOException {
        Path packed = dir.resolve("app/steward.aot.xz");
        Files.createDirectories(packed.getParent());
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(packed), new LZMA2Options(1))) {
            out.write(content);
        }
        return packed;
    }

    private static byte[] bytes(long seed) {
        var content = new byte[300_000];
        new Random(seed).nextBytes(content);
        return content;
    }

    @Test
    void unpacksIntoTheCacheFolderOnceAndAgainWhenTheInstalledCacheChanges() throws IOException {
        Path packed = pack(bytes(1));
        Path cache = dir.resolve("home/.cache/steward/steward-1.0.aot");
        var aot = new AotCache(packed, cache);

        assertThat(aot.refresh()).as("first start: no copy yet").isTrue();
        assertThat(Files.readAllBytes(cache)).isEqualTo(bytes(1));
        assertThat(aot.refresh()).as("later starts: the copy is current").isFalse();

        pack(bytes(2)); // a reinstall of the same version
        Files.setLastModifiedTime(packed, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(aot.refresh()).isTrue();
        assertThat(Files.readAllBytes(cache)).isEqualTo(bytes(2));
        try (var left = Files.list(cache.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no partial files left behind")
                    .containsExactlyInAnyOrder("steward-1.0.aot", "steward-1.0.aot.source");
        }
    }

    @Test
    void partialFilesOfStartsThatEndedWhileUnpackingAreRemovedOnceOld() throws IOException {
        Path cache = dir.resolve("cache/steward.aot");
        Files.createDirectories(cache.getParent());
        Path old = Files.writeString(cache.resolveSibling("steward.aot123.partial"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path recent = Files.writeString(cache.resolveSibling("steward.aot456.partial"), "being written");
        assertThat(new AotCache(pack(bytes(5)), cache).refresh()).isTrue();
        assertThat(old).doesNotExist();
        assertThat(recent).as("possibly another program unpacking right now").exists();
    }

    @Test
    void aCopyDeletedByTheUserIsUnpackedAgain() throws IOException {
        Path cache = dir.resolve("cache/steward.aot");
        var aot = new AotCache(pack(bytes(3)), cache);
        assertThat(aot.refresh()).isTrue();
        Files.delete(cache);
        assertThat(aot.refresh()).isTrue();
        assertThat(Files.readAllBytes(cache)).isEqualTo(bytes(3));
    }

    @Test
    void withoutAPackedCacheNothingHappens() throws IOException {
        Path cache = dir.resolve("cache/steward.aot");
        assertThat(new AotCache(dir.resolve("missing.aot.xz"), cache).refresh()).isFalse();
        assertThat(cache.getParent()).doesNotExist();
    }

    @Test
    void aBrokenPackedCacheLeavesNoCopy() throws IOException {
        Path packed = dir.resolve("steward.aot.xz");
        Files.write(packed, bytes(4)); // not xz
        Path cache = dir.resolve("cache/steward.aot");
        var aot = new AotCache(packed, cache);
        org.assertj.core.api.Assertions.assertThatThrownBy(aot::refresh).isInstanceOf(IOException.class);
        assertThat(cache).doesNotExist();
        try (var left = Files.list(cache.getParent())) {
            assertThat(left).as("no partial files left behind").isEmpty();
        }
    }

    @Test
    void outsideTheLaunchersThereIsNoCache() {
        assertThat(System.getProperty("steward.aot.cache")).isNull();
        assertThat(AotCache.fromLauncher()).isEmpty();
    }
}
