/** The Feature flags screen: flags with their state, changing one (admins), who gets it, and its history. */
@NullMarked
package io.steward.console.flags;

import org.jspecify.annotations.NullMarked;
