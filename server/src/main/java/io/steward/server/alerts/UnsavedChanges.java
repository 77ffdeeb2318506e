package io.steward.server.alerts;

import io.steward.server.db.Database;
import io.steward.server.db.SqlWork;
import io.steward.server.error.ServiceException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert changes still to be stored, in the order they happened. While the database is away
 * they wait for it; one that fails for any other reason is logged and dropped, so that it does
 * not hold up those behind it. Not thread-safe: the evaluation that owns it guards it.
 */
final class UnsavedChanges {
    private static final Logger LOG = LoggerFactory.getLogger(UnsavedChanges.class);

    private final Database db;
    private final ArrayDeque<SqlWork<?>> waiting = new ArrayDeque<>();

    UnsavedChanges(Database db) {
        this.db = db;
    }

    /** Queues a change; {@link #store} stores the queue. */
    void add(SqlWork<?> work) {
        waiting.addLast(work);
    }

    /** Stores what waits, each in its own transaction, until the queue is empty or the database is away. */
    void store() {
        while (!waiting.isEmpty()) {
            try {
                db.inTransaction(waiting.peekFirst());
                waiting.removeFirst();
            } catch (ServiceException.Unavailable e) {
                LOG.debug("alert changes kept until the database answers ({} waiting)", waiting.size());
                return;
            } catch (RuntimeException e) {
                LOG.warn("an alert change could not be stored and is dropped", e);
                waiting.removeFirst();
            }
        }
    }

    void clear() {
        waiting.clear();
    }
}
