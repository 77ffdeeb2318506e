/** The HTTP client of the console: everything it knows of the server goes through here. */
@NullMarked
package io.steward.console.client;

import org.jspecify.annotations.NullMarked;
