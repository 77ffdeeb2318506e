/** Staff sign-in: checking a password and issuing a token, lockouts, the sign-in gate and its settings. */
@NullMarked
package io.steward.server.auth;

import org.jspecify.annotations.NullMarked;
