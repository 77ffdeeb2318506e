package io.steward.console.shell;

import io.steward.console.session.Session;
import io.steward.server.api.Role;
import java.util.Set;
import java.util.function.Function;
import javafx.scene.Parent;
import javafx.scene.input.KeyCode;

/**
 * One screen of the console: its id (remembered across runs), its title in the sidebar, its
 * shortcut key (with Ctrl), the roles that may use it (others do not see it at all), and how to
 * build its view for a session.
 */
public record ScreenSpec(String id, String title, KeyCode key, Set<Role> roles, Function<Session, Parent> view) {
    public boolean visibleTo(Role role) {
        return roles.contains(role);
    }
}
