/** Staff sign-in, tokens, and the route/permission table. */
@NullMarked
package io.steward.server.auth;

import org.jspecify.annotations.NullMarked;
