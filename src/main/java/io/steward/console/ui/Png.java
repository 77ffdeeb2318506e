package io.steward.console.ui;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;

/**
 * Encodes a JavaFX image as PNG (8-bit RGBA, no filtering). The console leaves out javafx.swing
 * and AWT's image I/O, so it writes the format itself: a signature, a header, the compressed rows
 * and an end chunk.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {}

    public static byte[] encode(Image image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        PixelReader reader = image.getPixelReader();
        try {
            var raw = new ByteArrayOutputStream();
            try (var deflated = new DeflaterOutputStream(raw)) {
                byte[] row = new byte[1 + width * 4];
                for (int y = 0; y < height; y++) {
                    row[0] = 0; // filter: none
                    for (int x = 0; x < width; x++) {
                        int argb = reader.getArgb(x, y);
                        int i = 1 + x * 4;
                        row[i] = (byte) (argb >> 16);
                        row[i + 1] = (byte) (argb >> 8);
                        row[i + 2] = (byte) argb;
                        row[i + 3] = (byte) (argb >>> 24);
                    }
                    deflated.write(row);
                }
            }
            var out = new ByteArrayOutputStream();
            out.write(SIGNATURE);
            var header = new ByteArrayOutputStream();
            var fields = new DataOutputStream(header);
            fields.writeInt(width);
            fields.writeInt(height);
            fields.writeByte(8); // bits per channel
            fields.writeByte(6); // RGBA
            fields.writeByte(0);
            fields.writeByte(0);
            fields.writeByte(0);
            chunk(out, "IHDR", header.toByteArray());
            chunk(out, "IDAT", raw.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PNG in memory", e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        var fields = new DataOutputStream(out);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        fields.writeInt(data.length);
        fields.write(name);
        fields.write(data);
        var crc = new CRC32();
        crc.update(name);
        crc.update(data);
        fields.writeInt((int) crc.getValue());
    }
}
