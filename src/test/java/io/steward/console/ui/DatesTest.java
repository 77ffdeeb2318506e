package io.steward.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Days and times are written in the user's language, the same way everywhere. */
class DatesTest {
    @Test
    void monthNamesAreTheUsersLanguages() {
        Locale user = Locale.getDefault(Locale.Category.FORMAT);
        for (var format : new java.time.format.DateTimeFormatter[] {
            Dates.DAY, Dates.MINUTE, Dates.SECOND, Dates.RECENT, Dates.TIME, Dates.CLOCK
        }) {
            assertThat(format.getLocale()).isEqualTo(user);
        }
        assertThat(Dates.day(LocalDate.of(2026, 11, 29))).isEqualTo("29 Nov 2026");
        assertThat(Dates.day(null)).isEqualTo("—");
    }
}
