package io.steward.console.ui;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import javafx.scene.control.DatePicker;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;

/**
 * How the console writes days and times, everywhere: "29 Nov 2026", "29 Nov 2026 14:05", with the
 * month's name in the user's language ("29 Nov. 2026" in German).
 */
public final class Dates {
    private static final Locale LOCALE = Locale.getDefault(Locale.Category.FORMAT);
    public static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", LOCALE);
    public static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", LOCALE);
    public static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", LOCALE);
    /** Within the last days: "29 Nov 14:05:09". */
    public static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("d MMM HH:mm:ss", LOCALE);

    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", LOCALE);
    public static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", LOCALE);

    private Dates() {}

    /** A day as the tables show it, or "—" when there is none. */
    public static String day(@Nullable LocalDate day) {
        return day == null ? "—" : DAY.format(day);
    }

    /**
     * Makes {@code picker} show its day as the tables do and read what is typed the same way (or as
     * {@code 2026-11-29}); text it cannot read leaves the day as it was.
     */
    public static void dayPicker(DatePicker picker) {
        picker.setConverter(new StringConverter<>() {
            @Override
            public String toString(@Nullable LocalDate day) {
                return day == null ? "" : DAY.format(day);
            }

            @Override
            public @Nullable LocalDate fromString(@Nullable String text) {
                if (text == null || text.isBlank()) {
                    return null;
                }
                String typed = text.strip();
                for (DateTimeFormatter format : new DateTimeFormatter[] {DAY, DateTimeFormatter.ISO_LOCAL_DATE}) {
                    try {
                        return LocalDate.parse(typed, format);
                    } catch (DateTimeParseException e) {
                        // the next way of writing it
                    }
                }
                return picker.getValue();
            }
        });
    }
}
