package io.steward.console.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Asks where to save a file. The app shows the system's dialog; tests answer with a folder of their own. */
@FunctionalInterface
public interface FileDialogs {
    /**
     * @param suggestedName the file name offered, e.g. {@code steward-metrics.csv}
     * @param description what the file is, e.g. "CSV files"
     * @return the chosen file, or empty when the person cancelled
     */
    Optional<Path> saveAs(Window owner, String title, String suggestedName, String description);

    /** The system's save dialog. */
    static FileDialogs system() {
        return (owner, title, suggestedName, description) -> {
            var chooser = new FileChooser();
            chooser.setTitle(title);
            chooser.setInitialFileName(suggestedName);
            String extension = suggestedName.substring(suggestedName.lastIndexOf('.'));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, "*" + extension));
            File file = chooser.showSaveDialog(owner);
            return Optional.ofNullable(file).map(File::toPath);
        };
    }
}
