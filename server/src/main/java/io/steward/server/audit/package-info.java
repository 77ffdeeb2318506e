/** The tamper-evident, append-only audit trail. */
@NullMarked
package io.steward.server.audit;

import org.jspecify.annotations.NullMarked;
