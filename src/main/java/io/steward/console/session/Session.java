package io.steward.console.session;

import io.steward.console.client.StewardApi;
import io.steward.server.api.Role;
import io.steward.server.api.UserView;

/**
 * A signed-in person on one server: the server's API (over the transport holding their token), who they are, what to call
 * the server, the live feed, the executor for background work, and the way to other screens. Screens get it when they are built.
 */
public record Session(
        StewardApi api, UserView user, String serverLabel, LiveFeed feed, TaskExecutor executor, Navigator navigator) {
    public Role role() {
        return user.role();
    }
}
