package io.steward.console;

import javafx.application.Application;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the console. A separate launcher class, so the console also starts from a plain class
 * path (JavaFX refuses a main class that extends {@code Application} there).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // JavaFX draws the window; AWT is only there for the in-process server's PDF library
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // the in-process server's libraries log through java.util.logging: one format for all
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Application.launch(ConsoleApp.class, args);
    }
}
