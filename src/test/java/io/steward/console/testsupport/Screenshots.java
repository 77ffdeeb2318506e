package io.steward.console.testsupport;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.testfx.util.WaitForAsyncUtils;

/** Writes what a scene shows to {@code docs/screenshots/} (works on the headless platform). */
public final class Screenshots {
    private Screenshots() {}

    public static Path directory() {
        return Path.of(System.getProperty("steward.screenshots", "target/screenshots"));
    }

    public static void write(Scene scene, String name) {
        var image = new AtomicReference<WritableImage>();
        WaitForAsyncUtils.asyncFx(() -> image.set(scene.snapshot(null)));
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage fx = image.get();
        int width = (int) fx.getWidth();
        int height = (int) fx.getHeight();
        var png = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        var reader = fx.getPixelReader();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                png.setRGB(x, y, reader.getArgb(x, y));
            }
        }
        try {
            Files.createDirectories(directory());
            ImageIO.write(png, "png", directory().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
