package io.steward.server.auth;

import io.steward.server.api.Endpoint;
import io.steward.server.api.LoginRequest;
import io.steward.server.api.UnlockRequest;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;

/** {@code /api/v1/auth}: sign in, sign out, who am I. */
public final class AuthRoutes {
    private final AuthService auth;

    public AuthRoutes(AuthService auth) {
        this.auth = auth;
    }

    public void register(Router router) {
        router.handle(Endpoint.LOGIN, this::login)
                .handle(Endpoint.LOGOUT, this::logout)
                .handle(Endpoint.ME, ex -> ex.ok(auth.me(ex.principal())))
                .handle(Endpoint.LOCKOUTS, ex -> ex.ok(auth.lockouts()))
                .handle(Endpoint.UNLOCK, this::unlock);
    }

    private void login(Exchange ex) {
        LoginRequest body = ex.body(LoginRequest.class);
        ex.ok(auth.login(body.email(), body.password(), origin(ex)));
    }

    private void unlock(Exchange ex) {
        UnlockRequest body = ex.body(UnlockRequest.class);
        auth.unlock(ex.principal(), body.email(), body.ip(), origin(ex));
        ex.noContent();
    }

    private void logout(Exchange ex) {
        auth.logout(ex.principal(), origin(ex));
        ex.noContent();
    }

    private static AuthService.Origin origin(Exchange ex) {
        return new AuthService.Origin(ex.clientAddress(), ex.userAgent(), ex.requestId());
    }
}
