package io.steward.console.testsupport;

import io.steward.console.client.ApiCall;
import io.steward.console.client.Cancellation;
import io.steward.console.client.Transport;
import io.steward.server.api.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A server for view-model unit tests: each endpoint answers what the test says (a value, or a
 * function of the call, or a failure), every call is recorded, and a call the test did not expect
 * fails the test. Downloads write the answer's bytes to the target.
 */
public final class FakeTransport implements Transport {
    private final Map<Endpoint, Function<ApiCall<?>, Object>> answers = new EnumMap<>(Endpoint.class);
    private final List<ApiCall<?>> calls = new CopyOnWriteArrayList<>();
    private volatile @Nullable String token;

    /** {@code endpoint} answers {@code value} to every call. */
    public FakeTransport answer(Endpoint endpoint, Object value) {
        return answer(endpoint, call -> value);
    }

    /** {@code endpoint} answers what {@code answer} makes of each call; it may throw, as a failing server does. */
    public FakeTransport answer(Endpoint endpoint, Function<ApiCall<?>, Object> answer) {
        answers.put(endpoint, answer);
        return this;
    }

    /** {@code endpoint} fails every call with {@code failure}. */
    public FakeTransport fail(Endpoint endpoint, RuntimeException failure) {
        return answer(endpoint, call -> {
            throw failure;
        });
    }

    /**
     * {@code endpoint} is still at work when the person stops waiting ({@code cancel}, as the
     * screen's Cancel button does): the call ends cancelled, as the real transport's does.
     */
    public FakeTransport cancelledBy(Endpoint endpoint, Runnable cancel) {
        return answer(endpoint, call -> {
            cancel.run();
            throw new Cancellation.Cancelled();
        });
    }

    /** Every call so far, oldest first. */
    public List<ApiCall<?>> calls() {
        return List.copyOf(calls);
    }

    /** The calls to {@code endpoint} so far. */
    public List<ApiCall<?>> calls(Endpoint endpoint) {
        return calls.stream().filter(c -> c.endpoint() == endpoint).toList();
    }

    public void forget() {
        calls.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T send(ApiCall<T> call) {
        calls.add(call);
        Function<ApiCall<?>, Object> answer = answers.get(call.endpoint());
        if (answer == null) {
            throw new AssertionError("the test did not expect " + call);
        }
        return (T) answer.apply(call);
    }

    @Override
    public long download(ApiCall<?> call, Path target, LongConsumer received) {
        Object answer = send(call);
        byte[] bytes = answer instanceof byte[] b ? b : answer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        received.accept(bytes.length);
        return bytes.length;
    }

    @Override
    public void useToken(@Nullable String value) {
        token = value;
    }

    @Override
    public boolean signedIn() {
        return token != null;
    }
}
