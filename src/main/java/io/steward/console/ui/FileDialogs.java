package io.steward.console.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.application.HostServices;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Asks where to save a file, and shows a saved file's folder. The app uses the system's dialog and
 * file manager; tests answer with a folder of their own and note what was shown.
 */
public interface FileDialogs {
    /**
     * @param suggestedName the file name offered, e.g. {@code steward-metrics.csv}
     * @param description what the file is, e.g. "CSV files"
     * @return the chosen file, or empty when the person cancelled
     */
    Optional<Path> saveAs(Window owner, String title, String suggestedName, String description);

    /** Opens the folder that holds {@code file} in the system's file manager. */
    void showFolder(Path file);

    /** The system's save dialog and file manager. */
    static FileDialogs system(HostServices host) {
        return new FileDialogs() {
            @Override
            public Optional<Path> saveAs(Window owner, String title, String suggestedName, String description) {
                var chooser = new FileChooser();
                chooser.setTitle(title);
                chooser.setInitialFileName(suggestedName);
                String extension = suggestedName.substring(suggestedName.lastIndexOf('.'));
                chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, "*" + extension));
                File file = chooser.showSaveDialog(owner);
                return Optional.ofNullable(file).map(File::toPath);
            }

            @Override
            public void showFolder(Path file) {
                Path folder = file.toAbsolutePath().getParent();
                host.showDocument((folder == null ? file.toAbsolutePath() : folder)
                        .toUri()
                        .toString());
            }
        };
    }
}
