package io.steward.console.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call of the HTTP API as a resource client describes it: the endpoint and its path values,
 * query parameters, a body, what the answer is, and how the call is made (an {@code If-Match}
 * version, cancellable, allowed minutes instead of seconds). A {@link Transport} carries it out.
 *
 * @param <T> the answer
 */
public final class ApiCall<T> {
    private final Endpoint endpoint;
    private final String path;
    private final @Nullable JavaType answer;
    private final Map<String, String> query = new LinkedHashMap<>();
    private @Nullable Object body;
    private @Nullable Long version;
    private @Nullable Cancellation cancellation;
    private boolean slow;

    private ApiCall(Endpoint endpoint, @Nullable JavaType answer, Object... values) {
        this.endpoint = endpoint;
        this.path = endpoint.path(values);
        this.answer = answer;
    }

    /** A call answered by one {@code answer}; {@code values} fill the endpoint's path template. */
    public static <T> ApiCall<T> of(Endpoint endpoint, Class<T> answer, Object... values) {
        return new ApiCall<>(endpoint, TypeFactory.defaultInstance().constructType(answer), values);
    }

    /** A call answered by a page of {@code item}s. */
    public static <T> ApiCall<Page<T>> page(Endpoint endpoint, Class<T> item, Object... values) {
        return new ApiCall<>(endpoint, TypeFactory.defaultInstance().constructParametricType(Page.class, item), values);
    }

    /** A call whose answer has nothing to read (204), or whose body is saved rather than read. */
    public static ApiCall<Object> bare(Endpoint endpoint, Object... values) {
        return new ApiCall<>(endpoint, null, values);
    }

    /** Adds a query parameter; a null or empty value adds nothing (no filter). */
    public ApiCall<T> query(String name, @Nullable Object value) {
        if (value != null && !value.toString().isEmpty()) {
            query.put(name, value.toString());
        }
        return this;
    }

    /** The JSON body to send. */
    public ApiCall<T> body(Object value) {
        this.body = value;
        return this;
    }

    /** Only if the resource is still at the {@code version} the person edited (else 412). */
    public ApiCall<T> ifMatch(long edited) {
        this.version = edited;
        return this;
    }

    /** The person may stop waiting: the call ends as {@link Cancellation.Cancelled}. */
    public ApiCall<T> cancellable(Cancellation by) {
        this.cancellation = by;
        return this;
    }

    /** The call may take minutes (restore tests, reports over a large database, an erasure). */
    public ApiCall<T> slow() {
        this.slow = true;
        return this;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The endpoint's path with the values filled in, each encoded as one segment. */
    public String path() {
        return path;
    }

    /** What to read the answer as; null when there is nothing to read. */
    public @Nullable JavaType answer() {
        return answer;
    }

    public Map<String, String> queryParameters() {
        return Collections.unmodifiableMap(query);
    }

    public @Nullable Object body() {
        return body;
    }

    public @Nullable Long version() {
        return version;
    }

    public @Nullable Cancellation cancellation() {
        return cancellation;
    }

    public boolean isSlow() {
        return slow;
    }

    @Override
    public String toString() {
        return endpoint.method() + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
}
