package io.steward.console.shell;

import io.steward.console.session.Session;
import io.steward.server.api.Role;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ObservableValue;
import javafx.scene.Parent;
import javafx.scene.input.KeyCode;

/**
 * One screen of the console: its id (remembered across runs), its title in the sidebar, its
 * shortcut key (with Ctrl), the roles that may use it (others do not see it at all), and how to
 * build its view for a session; optionally a badge beside its title (what waits there for the
 * person signed in, "" for nothing), followed for the whole session.
 */
public record ScreenSpec(
        String id,
        String title,
        KeyCode key,
        Set<Role> roles,
        Function<Session, Parent> view,
        Function<Session, ObservableValue<String>> badge) {
    public ScreenSpec(String id, String title, KeyCode key, Set<Role> roles, Function<Session, Parent> view) {
        this(id, title, key, roles, view, session -> new SimpleStringProperty(""));
    }

    public boolean visibleTo(Role role) {
        return roles.contains(role);
    }
}
