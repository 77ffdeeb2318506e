package io.steward.server.reports;

import io.steward.server.api.ComplianceReport.Figure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What every section is made of: figures, shares, and the cells of its tables. */
final class ReportParts {
    private ReportParts() {}

    static Figure figure(String key, String label, @Nullable Object value, String unit, String evidence) {
        return new Figure(key, label, value, unit, evidence);
    }

    /** {@code part} of {@code whole} in per cent, to three decimals; null when there is no whole. */
    static @Nullable Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 100_000.0 / whole) / 1000.0;
    }

    static List<Figure> concat(List<Figure> a, List<Figure> b) {
        var all = new ArrayList<Figure>(a);
        all.addAll(b);
        return all;
    }

    /** One row of a table, its cells in the order of the table's columns. */
    static List<@Nullable Object> cells(@Nullable Object... values) {
        return Arrays.asList(values);
    }

    /** A decimal as a table shows it: a whole number without its fraction, else a double. */
    static @Nullable Number number(@Nullable BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (value.stripTrailingZeros().scale() <= 0) {
            return Long.valueOf(value.longValueExact());
        }
        return Double.valueOf(value.doubleValue());
    }
}
