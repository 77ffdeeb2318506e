/** The console's entry points. */
@NullMarked
package io.steward.console;

import org.jspecify.annotations.NullMarked;
