package io.steward.server.db;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One open transaction. Services pass it to repositories so that several statements commit or
 * roll back together; only repositories look inside.
 */
public final class Tx {
    private final Connection connection;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Tx(Connection connection) {
        this.connection = connection;
    }

    /** For repositories: the JDBC connection of this transaction. */
    public Connection connection() {
        return connection;
    }

    /**
     * Runs {@code action} once this transaction has committed, and never if it rolls back: for
     * news about the change (metrics, the live event stream) that must not announce what did not
     * happen.
     */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> committedActions() {
        return afterCommit;
    }
}
