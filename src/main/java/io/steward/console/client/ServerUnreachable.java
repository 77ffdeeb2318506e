package io.steward.console.client;

/**
 * No usable answer from the server: nothing listens, the name does not resolve, the secure
 * connection failed, it timed out, or what answered is not a Steward server. The message is
 * written for the person at the console.
 */
public final class ServerUnreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerUnreachable(String message) {
        super(message);
    }
}
