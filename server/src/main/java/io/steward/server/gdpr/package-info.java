/** GDPR data-subject requests and their lifecycle, the subject export, erasure, the erasure ledger and retention. */
@NullMarked
package io.steward.server.gdpr;

import org.jspecify.annotations.NullMarked;
