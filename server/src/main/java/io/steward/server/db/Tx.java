package io.steward.server.db;

import java.sql.Connection;

/**
 * One open transaction. Services pass it to repositories so that several statements commit or
 * roll back together; only repositories look inside.
 */
public final class Tx {
    private final Connection connection;

    Tx(Connection connection) {
        this.connection = connection;
    }

    /** For repositories: the JDBC connection of this transaction. */
    public Connection connection() {
        return connection;
    }
}
