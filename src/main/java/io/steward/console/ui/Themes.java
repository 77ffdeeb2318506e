package io.steward.console.ui;

import java.util.List;
import java.util.Objects;
import javafx.scene.Scene;

/** The console's style sheets: the base sheet plus the light or the dark theme. */
public final class Themes {
    private Themes() {}

    public static void apply(Scene scene, boolean dark) {
        scene.getStylesheets().setAll(List.of(sheet("base.css"), sheet(dark ? "dark.css" : "light.css")));
    }

    private static String sheet(String name) {
        return Objects.requireNonNull(Themes.class.getResource("/styles/" + name), "missing /styles/" + name)
                .toExternalForm();
    }
}
