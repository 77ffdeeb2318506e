package io.steward.console.client;

/** Live events being listened to, until closed. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
