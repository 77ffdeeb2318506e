/** The GDPR requests screen: the queue with its deadlines, and each request's next steps. */
@NullMarked
package io.steward.console.gdpr;

import org.jspecify.annotations.NullMarked;
