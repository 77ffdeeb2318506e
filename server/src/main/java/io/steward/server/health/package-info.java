/** Liveness, readiness and the health checks. */
@NullMarked
package io.steward.server.health;

import org.jspecify.annotations.NullMarked;
