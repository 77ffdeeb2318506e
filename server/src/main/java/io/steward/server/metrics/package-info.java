/** Metrics: Micrometer meters with Prometheus exposition, and the in-server time-series store the console charts. */
@NullMarked
package io.steward.server.metrics;

import org.jspecify.annotations.NullMarked;
