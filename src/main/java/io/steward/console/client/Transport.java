package io.steward.console.client;

import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * How the resource clients reach a server: {@link HttpTransport} over HTTP; a view model's unit
 * test may answer with its own.
 */
public interface Transport {
    /**
     * Makes the call and reads its answer ({@code Map.of()} when it has none).
     *
     * @throws ApiException when the server answered with its error shape
     * @throws ServerUnreachable when there was no usable answer
     * @throws Cancellation.Cancelled when the person stopped waiting
     */
    <T> T send(ApiCall<T> call);

    /**
     * Saves the answer's body to {@code target}: written beside it first and moved into place once
     * complete, telling {@code received} the bytes so far. Cancelled or failed, nothing is left.
     * Returns the size saved.
     */
    long download(ApiCall<?> call, Path target, LongConsumer received);

    /** The token later calls carry (from signing in), or null for none. */
    void useToken(@Nullable String token);

    /** Whether a token is held. */
    boolean signedIn();
}
