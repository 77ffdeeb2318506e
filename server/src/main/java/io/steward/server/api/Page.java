package io.steward.server.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a list; {@code nextCursor} fetches the next page, {@code null} on the last one. */
public record Page<T>(List<T> items, @Nullable String nextCursor) {}
