package io.steward.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb, unpacked into a scratch root as dpkg would install it, and its server launcher run from there. */
class DebPackageIT {
    @TempDir
    Path scratch;

    private Path deb() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("steward.deb.dir", "target/deb")))) {
            return files.filter(f -> f.toString().endsWith(".deb")).findFirst().orElseThrow();
        }
    }

    @Test
    void installsUnderOptWithAMenuEntryForTheConsoleAndItsServerRuns() throws Exception {
        Path deb = deb();
        assertThat(deb.getFileName().toString()).matches("steward_0\\.1\\.0_amd64\\.deb");
        var info =
                Launchers.run(scratch, List.of("dpkg-deb", "--field", deb.toString(), "Package", "Version", "Section"));
        assertThat(info.output()).contains("Package: steward", "Version: 0.1.0", "Section: admin");

        Path root = scratch.resolve("root");
        var unpack = Launchers.run(scratch, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        assertThat(unpack.exitCode()).as(unpack.output()).isZero();
        Path installed = root.resolve("opt/steward");
        assertThat(installed.resolve("bin/steward")).isExecutable();
        assertThat(installed.resolve("share/doc/copyright")).content().contains("the Steward authors");
        assertThat(installed.resolve("lib/steward-steward.desktop"))
                .content()
                .contains("Name=Steward", "Exec=/opt/steward/bin/steward", "Icon=/opt/steward/lib/steward.png");
        assertThat(installed.resolve("lib/steward-steward-server.desktop"))
                .as("the headless server gets no menu entry")
                .doesNotExist();

        assertThat(installed.resolve("lib/app/steward.aot.xz")).isRegularFile();
        assertThat(classPath(installed.resolve("lib/app/steward-server.cfg")))
                .as("the class path the start-up cache was trained with, in the image")
                .isEqualTo(classPath(Launchers.image().resolve("lib/app/steward-server.cfg")));

        Path home = scratch.resolve("home");
        Files.createDirectories(home);
        var server = Launchers.startServer(installed.resolve("bin/steward-server"), home);
        assertThat(Launchers.status(server.url())).isEqualTo(200);
        assertThat(server.stop()).isZero();
    }

    @Test
    void theInstalledServerUsesTheStartUpCacheFromItsSecondStart() throws Exception {
        Path root = scratch.resolve("root");
        var unpack = Launchers.run(scratch, List.of("dpkg-deb", "-x", deb().toString(), root.toString()));
        assertThat(unpack.exitCode()).as(unpack.output()).isZero();
        Path home = scratch.resolve("home");
        Files.createDirectories(home);
        var starts = Launchers.startTwice(root.resolve("opt/steward/bin/steward-server"), home);
        assertThat(starts.firstUsedCache()).isFalse();
        assertThat(starts.secondUsedCache()).isTrue();
    }

    private static List<String> classPath(Path cfg) throws Exception {
        return Files.readAllLines(cfg).stream()
                .filter(line -> line.startsWith("app.classpath="))
                .toList();
    }
}
