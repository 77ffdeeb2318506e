package io.steward.server.http;

/** What a route does with one exchange. */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange) throws Exception;
}
