/** Feature flags: kill switch, percentage rollout bucketed as Unleash does, allow-listed users. */
@NullMarked
package io.steward.server.flags;

import org.jspecify.annotations.NullMarked;
