/** The window, the connection to a server (bundled or remote) and the plumbing views share. */
@NullMarked
package io.steward.console.shell;

import org.jspecify.annotations.NullMarked;
