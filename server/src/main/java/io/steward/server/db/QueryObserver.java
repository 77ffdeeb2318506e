package io.steward.server.db;

/** Told about every statement run through {@link Database}: its SQL, how long it ran, whether it failed. */
@FunctionalInterface
public interface QueryObserver {
    QueryObserver NONE = (sql, nanos, failed) -> {};

    void executed(String sql, long nanos, boolean failed);
}
