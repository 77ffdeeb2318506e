package io.steward.server.http;

import java.io.IOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 CSV that is safe to open in a spreadsheet: a cell that a spreadsheet would read as a
 * formula ({@code = + - @}, tab, carriage return) is prefixed with an apostrophe (OWASP's advice
 * against CSV injection).
 */
public final class Csv {
    private Csv() {}

    /** Writes one row and the line end. */
    public static void row(Writer out, @Nullable Object... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    static String cell(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
