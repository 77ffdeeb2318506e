/** Calls to other services (the platform's dependencies, the alert webhook), each behind a circuit breaker with retries. */
@NullMarked
package io.steward.server.outbound;

import org.jspecify.annotations.NullMarked;
