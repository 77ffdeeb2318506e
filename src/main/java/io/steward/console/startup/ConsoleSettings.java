package io.steward.console.startup;

import org.jspecify.annotations.Nullable;

/**
 * What the console remembers between runs: which server (this computer or an address), the last
 * e-mail used to sign in, the theme, and the window's place, size and screen.
 *
 * @param connection {@code local}, {@code remote} or {@code null} before the first choice
 * @param serverUrl the remote server's address, when {@code connection} is {@code remote}
 * @param theme {@code light} or {@code dark}
 */
public record ConsoleSettings(
        @Nullable String connection,
        @Nullable String serverUrl,
        @Nullable String lastEmail,
        String theme,
        @Nullable WindowPlace window,
        @Nullable String screen) {

    /** The window's position and size; {@code maximized} wins over the size. */
    public record WindowPlace(double x, double y, double width, double height, boolean maximized) {}

    public static ConsoleSettings defaults() {
        return new ConsoleSettings(null, null, null, "light", null, null);
    }

    public ConsoleSettings withConnection(@Nullable String kind, @Nullable String url) {
        return new ConsoleSettings(kind, url, lastEmail, theme, window, screen);
    }

    public ConsoleSettings withLastEmail(String email) {
        return new ConsoleSettings(connection, serverUrl, email, theme, window, screen);
    }

    public ConsoleSettings withTheme(String name) {
        return new ConsoleSettings(connection, serverUrl, lastEmail, name, window, screen);
    }

    public ConsoleSettings withWindow(@Nullable WindowPlace place, @Nullable String screenId) {
        return new ConsoleSettings(connection, serverUrl, lastEmail, theme, place, screenId);
    }

    public boolean dark() {
        return "dark".equals(theme);
    }
}
