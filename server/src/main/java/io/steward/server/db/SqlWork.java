package io.steward.server.db;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Work done inside one transaction. */
@FunctionalInterface
public interface SqlWork<T extends @Nullable Object> {
    T run(Tx tx) throws SQLException;
}
