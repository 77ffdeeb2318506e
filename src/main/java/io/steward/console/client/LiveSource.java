package io.steward.console.client;

/** Where live events come from: the server's stream ({@link HttpTransport}), or a test's. */
public interface LiveSource {
    /** Starts delivering events to {@code listener}; they keep coming (reconnecting) until closed. */
    Subscription subscribe(EventStream.Listener listener);

    /** The stream reached the server again: calls need not wait for the breaker. */
    void reachedAgain();
}
