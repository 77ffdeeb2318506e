package io.steward.console.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.function.Supplier;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Loads a view's FXML by convention: {@code XxxView} in package {@code io.steward.console.feature}
 * is {@code /fxml/feature/Xxx.fxml}; the controller comes from the given factory (constructor
 * injection, no static state).
 */
public final class ViewLoader {
    private ViewLoader() {}

    public static <V> Parent load(Class<V> viewClass, Supplier<V> controller) {
        String feature =
                viewClass.getPackageName().substring(viewClass.getPackageName().lastIndexOf('.') + 1);
        String name = viewClass.getSimpleName().replaceFirst("View$", "");
        URL fxml = viewClass.getResource("/fxml/" + feature + "/" + name + ".fxml");
        if (fxml == null) {
            throw new IllegalStateException(
                    "no FXML for " + viewClass.getSimpleName() + " at /fxml/" + feature + "/" + name + ".fxml");
        }
        var loader = new FXMLLoader(fxml);
        loader.setControllerFactory(type -> {
            if (type != viewClass) {
                throw new IllegalStateException("unexpected controller " + type.getName() + " in " + fxml);
            }
            return controller.get();
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
