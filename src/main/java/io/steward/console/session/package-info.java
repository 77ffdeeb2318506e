/**
 * A signed-in session and what screens do with it: the client and the user, the live feed of
 * server events, the executor that runs calls off the FX thread, and long operations that can be
 * cancelled.
 */
@NullMarked
package io.steward.console.session;

import org.jspecify.annotations.NullMarked;
