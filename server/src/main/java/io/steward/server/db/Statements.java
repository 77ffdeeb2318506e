package io.steward.server.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** For repositories that build a query from optional filters: binds the collected parameters. */
public final class Statements {
    private Statements() {}

    /** Prepares {@code sql} in {@code tx} with {@code params} bound in order; the caller closes it. */
    public static PreparedStatement prepare(Tx tx, String sql, List<Object> params) throws SQLException {
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
}
