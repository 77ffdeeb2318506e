/**
 * Staff credentials: password hashing (Argon2id) and the password policy, and the stored tokens
 * of signed-in staff (only their SHA-256), used by sign-in and by the changes that end sessions.
 */
@NullMarked
package io.steward.server.credentials;

import org.jspecify.annotations.NullMarked;
