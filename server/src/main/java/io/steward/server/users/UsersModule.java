package io.steward.server.users;

import io.steward.server.audit.AuditService;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.credentials.TokenRepository;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import java.time.Clock;

/**
 * The staff accounts wired: their repositories and password hashing (shared with sign-in), the
 * first admin's set-up, and the routes over {@link UserService} (which lists from {@code reads}).
 */
public record UsersModule(
        UserRepository users,
        TokenRepository tokens,
        PasswordHasher hasher,
        StaffBootstrap staffBootstrap,
        UserRoutes routes) {

    public static UsersModule wire(Database db, Database reads, AuditService audit, Clock clock) {
        var users = new UserRepository();
        var tokens = new TokenRepository();
        var hasher = new PasswordHasher();
        return new UsersModule(
                users,
                tokens,
                hasher,
                new StaffBootstrap(db, users, audit, hasher, clock),
                new UserRoutes(new UserService(db, reads, users, tokens, audit, hasher, clock)));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
