package io.steward.server.auth;

import io.steward.server.api.MetricSeries;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import io.steward.server.metrics.MetricsSampler;
import io.steward.server.users.UsersModule;
import java.time.Clock;

/** Sign-in wired: the service (with its lockouts), its {@code auth.accounts.targeted} series, and its routes. */
public record AuthModule(AuthService service, AuthRoutes routes) {

    public static AuthModule wire(
            Database db,
            UsersModule users,
            AuditService audit,
            AuthSettings settings,
            Clock clock,
            MetricsSampler sampler) {
        var auth = new AuthService(
                db,
                users.users(),
                users.tokens(),
                new LoginAttemptRepository(),
                audit,
                users.hasher(),
                settings,
                clock);
        sampler.gauge(
                new MetricSeries(
                        "auth.accounts.targeted",
                        "accounts",
                        "Account names that failed to sign in more often than the per-account ceiling allows, from all"
                                + " addresses together, within the last address window"),
                auth::targetedAccounts);
        return new AuthModule(auth, new AuthRoutes(auth));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
