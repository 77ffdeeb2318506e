package io.steward.server.users;

import io.steward.server.api.CreateUserRequest;
import io.steward.server.api.Endpoint;
import io.steward.server.api.RectifyRequest;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserDetail;
import io.steward.server.db.Keyset;
import io.steward.server.http.Csv;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.io.IOException;
import java.util.OptionalLong;

/** {@code /api/v1/users}: search, read, create, change, and export the list as CSV. */
public final class UserRoutes {
    private final UserService users;

    public UserRoutes(UserService users) {
        this.users = users;
    }

    public void register(Router router) {
        router.handle(Endpoint.USERS, ex -> ex.ok(users.list(query(ex))))
                .handle(Endpoint.USERS_CSV, this::exportCsv)
                .handle(Endpoint.USER, ex -> withEtag(ex, 200, users.get(ex.uuidParam("id"))))
                .handle(
                        Endpoint.USER_HISTORY,
                        ex -> ex.ok(users.history(
                                ex.uuidParam("id"),
                                ex.limit(),
                                ex.query("cursor").map(Keyset::decode).orElse(null))))
                .handle(Endpoint.USER_CREATE, this::create)
                .handle(Endpoint.USER_UPDATE, this::update)
                .handle(
                        Endpoint.USER_RECTIFY,
                        ex -> withEtag(
                                ex,
                                200,
                                users.rectify(
                                        ex.principal(),
                                        ex.uuidParam("id"),
                                        ex.body(RectifyRequest.class),
                                        ex.requestId())));
    }

    private static UserService.ListQuery query(Exchange ex) {
        return new UserService.ListQuery(
                ex.query("q"),
                ex.query("role"),
                ex.query("status"),
                ex.query("dormantDays"),
                ex.query("limit"),
                ex.query("cursor"));
    }

    private void create(Exchange ex) {
        UserDetail created = users.create(ex.principal(), ex.body(CreateUserRequest.class), ex.requestId());
        ex.responseHeader("Location", Endpoint.USER.path(created.id()));
        withEtag(ex, 201, created);
    }

    private void update(Exchange ex) {
        var id = ex.uuidParam("id");
        OptionalLong expected = ex.ifMatch();
        withEtag(ex, 200, users.update(ex.principal(), id, ex.body(UpdateUserRequest.class), expected, ex.requestId()));
    }

    private void exportCsv(Exchange ex) throws IOException {
        var query = query(ex);
        UserFilter filter = users.filter(query); // refuse a bad filter before the download starts
        ex.download("text/csv; charset=utf-8", "users.csv", out -> {
            Csv.row(
                    out,
                    "id",
                    "email",
                    "name",
                    "role",
                    "active",
                    "emailVerified",
                    "createdAt",
                    "updatedAt",
                    "lastLogin");
            users.export(
                    ex.principal(),
                    filter,
                    query,
                    ex.requestId(),
                    u -> Csv.row(
                            out,
                            u.id(),
                            u.email(),
                            u.name(),
                            u.role().wireName(),
                            u.active(),
                            u.emailVerified(),
                            u.createdAt(),
                            u.updatedAt(),
                            u.lastLogin()));
        });
    }

    private static void withEtag(Exchange ex, int status, UserDetail user) {
        ex.responseHeader("ETag", "\"" + user.version() + "\"");
        ex.json(status, user);
    }
}
