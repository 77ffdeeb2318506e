/** The Users screen: search as you type, filters, a million users paged smoothly, a user's details. */
@NullMarked
package io.steward.console.users;

import org.jspecify.annotations.NullMarked;
