package io.steward.console;

import javafx.application.Application;

/**
 * Starts the console. A separate launcher class, so the console also starts from a plain class
 * path (JavaFX refuses a main class that extends {@code Application} there).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Application.launch(ConsoleApp.class, args);
    }
}
