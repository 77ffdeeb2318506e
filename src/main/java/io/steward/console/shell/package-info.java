/** The window journey: connecting to a server, signing in, the main window and its screen list. */
@NullMarked
package io.steward.console.shell;

import org.jspecify.annotations.NullMarked;
