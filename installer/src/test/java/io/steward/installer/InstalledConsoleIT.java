package io.steward.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's console launcher on a virtual display (Xvfb, a real GTK window, no JDK on the PATH):
 * a first start shows the Connect page. The screenshot goes to docs/screenshots/.
 */
class InstalledConsoleIT {
    @TempDir
    Path home;

    @Test
    void theFirstStartShowsTheConnectPage() throws Exception {
        Path shot = home.resolve("console.png");
        Path log = home.resolve("console.log");
        String launcher = Launchers.image().resolve("bin/steward").toString();
        // inside the virtual display: start the console, wait for its first frame, photograph the screen
        String script = String.join(
                "\n",
                "'" + launcher + "' --config-dir '" + home.resolve("config") + "' > '" + log + "' 2>&1 &",
                "console=$!",
                "for i in $(seq 1 600); do grep -q 'console window shown' '" + log + "' && break; sleep 0.1; done",
                // the frame is laid out; photograph until it has been drawn (a bare screen compresses to a few kB)
                "for i in $(seq 1 50); do import -window root '" + shot + "'; [ $(stat -c %s '" + shot
                        + "') -gt 20000 ] && break; sleep 0.2; done",
                "kill $console; wait $console",
                "exit 0");
        var result =
                Launchers.run(home, List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "bash", "-c", script));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(log)).contains("console window shown on the CONNECT page");

        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(800);
        var colours = new HashSet<Integer>();
        for (int y = 0; y < image.getHeight(); y += 8) {
            for (int x = 0; x < image.getWidth(); x += 8) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("a drawn window, not an empty screen").hasSizeGreaterThan(20);
        Path screenshots = Path.of(System.getProperty("steward.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        Files.copy(
                shot,
                screenshots.resolve("installed-console-connect.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
