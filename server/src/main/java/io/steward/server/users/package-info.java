/** Platform users and staff accounts. */
@NullMarked
package io.steward.server.users;

import org.jspecify.annotations.NullMarked;
