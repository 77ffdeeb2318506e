package io.steward.console.client;

import io.steward.server.api.Endpoint;
import io.steward.server.api.LoginRequest;
import io.steward.server.api.LoginResponse;
import io.steward.server.api.SignInLockouts;
import io.steward.server.api.UnlockRequest;
import io.steward.server.api.UserView;

/** Signing in and out, who is signed in, and sign-in lockouts. */
public final class AuthApi {
    private final Transport transport;

    AuthApi(Transport transport) {
        this.transport = transport;
    }

    /** Signs in and keeps the token for later calls. */
    public LoginResponse login(String email, String password) {
        LoginResponse response =
                transport.send(ApiCall.of(Endpoint.LOGIN, LoginResponse.class).body(new LoginRequest(email, password)));
        transport.useToken(response.token());
        return response;
    }

    /** Revokes the token on the server (best effort) and forgets it. */
    public void logout() {
        if (!transport.signedIn()) {
            return;
        }
        try {
            transport.send(ApiCall.bare(Endpoint.LOGOUT));
        } finally {
            transport.useToken(null);
        }
    }

    public UserView me() {
        return transport.send(ApiCall.of(Endpoint.ME, UserView.class));
    }

    /** Account names locked out of signing in from an address, and names attacked from many (admins). */
    public SignInLockouts lockouts() {
        return transport.send(ApiCall.of(Endpoint.LOCKOUTS, SignInLockouts.class));
    }

    /** Ends the lockout of {@code email} from {@code ip} before its time (audited). */
    public void unlock(String email, String ip) {
        transport.send(ApiCall.bare(Endpoint.UNLOCK).body(new UnlockRequest(email, ip)));
    }
}
