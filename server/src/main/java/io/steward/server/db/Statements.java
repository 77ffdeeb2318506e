package io.steward.server.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For repositories: binds collected parameters (queries built from optional filters) and reads
 * rows into records, so each repository writes only its SQL and its row mapping.
 */
public final class Statements {
    private Statements() {}

    /** Prepares {@code sql} in {@code tx} with {@code params} bound in order; the caller closes it. */
    public static PreparedStatement prepare(Tx tx, String sql, List<?> params) throws SQLException {
        PreparedStatement ps = tx.connection().prepareStatement(sql);
        try {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs the query and reads every row. */
    public static <T> List<T> list(Tx tx, String sql, List<?> params, Row<T> row) throws SQLException {
        try (PreparedStatement ps = prepare(tx, sql, params);
                ResultSet rs = ps.executeQuery()) {
            var rows = new ArrayList<T>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        }
    }

    /** {@code count} parameter markers for an {@code IN (…)} list: {@code "?, ?, ?"}. */
    public static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** Runs the query and reads its first row, if any. */
    public static <T> Optional<T> one(Tx tx, String sql, List<?> params, Row<T> row) throws SQLException {
        try (PreparedStatement ps = prepare(tx, sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
        }
    }
}
