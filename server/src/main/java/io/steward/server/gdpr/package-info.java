/** GDPR data-subject requests, the subject export, and (later) erasure and retention. */
@NullMarked
package io.steward.server.gdpr;

import org.jspecify.annotations.NullMarked;
