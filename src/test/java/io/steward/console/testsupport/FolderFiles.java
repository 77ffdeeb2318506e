package io.steward.console.testsupport;

import io.steward.console.ui.FileDialogs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.stage.Window;

/** Save dialogs answered with a file of the suggested name in one folder; folders shown are noted. */
public final class FolderFiles implements FileDialogs {
    private final Path folder;
    private final List<Path> shown = new CopyOnWriteArrayList<>();

    public FolderFiles(Path folder) {
        this.folder = folder;
    }

    @Override
    public Optional<Path> saveAs(Window owner, String title, String suggestedName, String description) {
        return Optional.of(folder.resolve(suggestedName));
    }

    @Override
    public void showFolder(Path file) {
        shown.add(file.toAbsolutePath().getParent());
    }

    /** The folders the console asked the file manager to show, in order. */
    public List<Path> foldersShown() {
        return List.copyOf(shown);
    }
}
