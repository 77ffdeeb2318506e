package io.steward.server.db;

/** A database failure that is not the caller's fault; answered as a generic 500 and logged. */
public final class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
