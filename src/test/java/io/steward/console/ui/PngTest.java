package io.steward.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngTest {
    @Test
    void anImageEncodedByTheConsoleIsReadBackPixelForPixel() throws Exception {
        var image = new WritableImage(7, 3);
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 3; y++) {
                image.getPixelWriter().setColor(x, y, Color.rgb(x * 30, y * 80, 200, (x + 1) / 7.0));
            }
        }
        var decoded = ImageIO.read(new ByteArrayInputStream(Png.encode(image)));
        assertThat(decoded.getWidth()).isEqualTo(7);
        assertThat(decoded.getHeight()).isEqualTo(3);
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 3; y++) {
                assertThat(decoded.getRGB(x, y))
                        .isEqualTo(image.getPixelReader().getArgb(x, y));
            }
        }
    }
}
