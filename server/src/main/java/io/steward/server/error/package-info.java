/** The typed failures services throw; the HTTP layer maps them to the error contract. */
@NullMarked
package io.steward.server.error;

import org.jspecify.annotations.NullMarked;
