/**
 * Starting the console: its command-line options, its saved settings, the server address typed
 * in, and the server bundled for "this computer" mode.
 */
@NullMarked
package io.steward.console.startup;

import org.jspecify.annotations.NullMarked;
