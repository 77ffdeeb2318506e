package io.steward.server.http;

import io.steward.server.auth.Principal;

/** Turns a bearer token into the staff member it belongs to. */
@FunctionalInterface
public interface Authenticator {
    /**
     * @throws io.steward.server.error.ServiceException.Unauthenticated when the token is unknown,
     *     expired or revoked
     */
    Principal authenticate(String token);
}
