package io.steward.server.http;

import io.steward.server.access.Principal;

/** Turns a bearer token into the staff member it belongs to. */
public interface Authenticator {
    /**
     * @throws io.steward.server.error.ServiceException.Unauthenticated when the token is unknown,
     *     expired or revoked
     */
    Principal authenticate(String token);

    /**
     * Why the sign-in behind {@code principal} no longer holds (signed out, revoked by a
     * deactivation or role change, expired, the account gone), in words, or empty while it holds.
     * Looking does not count as using the token.
     */
    java.util.Optional<String> ended(Principal principal);
}
