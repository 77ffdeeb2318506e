/** Alert rules over the metric series, their alerts (pending, firing, resolved), silences, and the webhook. */
@NullMarked
package io.steward.server.alerts;

import org.jspecify.annotations.NullMarked;
