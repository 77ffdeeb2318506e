package io.steward.console.shell;

import io.steward.console.session.Session;
import io.steward.console.ui.Themes;
import io.steward.console.ui.ViewLoader;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.layout.StackPane;
import org.jspecify.annotations.Nullable;

/**
 * The window's controller: shows the Connect page, the Sign-in page or the shell, as the view
 * model says, and keeps the theme applied. A new session gets a new shell; the window stays.
 */
public final class MainWindowView {
    private final MainWindowViewModel viewModel;
    private final List<ScreenSpec> screens;
    private final Consumer<Session> onSession;
    private final Clock clock;
    private @Nullable Parent connectPage;
    private @Nullable Parent signInPage;
    private @Nullable Parent shell;

    @FXML
    private StackPane pages;

    /**
     * @param onSession called with each new session once its shell is built (desktop notifications
     *     follow the session this way, whichever screen is open)
     */
    public MainWindowView(
            MainWindowViewModel viewModel, List<ScreenSpec> screens, Consumer<Session> onSession, Clock clock) {
        this.viewModel = viewModel;
        this.screens = screens;
        this.onSession = onSession;
        this.clock = clock;
    }

    @FXML
    private void initialize() {
        connectPage = ViewLoader.load(ConnectView.class, () -> new ConnectView(viewModel));
        signInPage = ViewLoader.load(SignInView.class, () -> new SignInView(viewModel));
        viewModel.sessionProperty().subscribe(session -> {
            if (session == null) {
                shell = null;
            } else {
                var view = new ShellView(session, viewModel, screens, clock);
                shell = ViewLoader.load(ShellView.class, () -> view);
                view.viewModel().screenProperty().subscribe(this::rememberScreen);
                onSession.accept(session);
            }
            showPage(viewModel.pageProperty().get());
        });
        viewModel.pageProperty().subscribe(this::showPage);
        pages.sceneProperty().subscribe(scene -> {
            if (scene != null) {
                Themes.apply(scene, viewModel.darkProperty().get());
            }
        });
        viewModel.darkProperty().subscribe(dark -> {
            if (pages.getScene() != null) {
                Themes.apply(pages.getScene(), dark);
            }
        });
    }

    private void showPage(MainWindowViewModel.Page page) {
        Parent shown = switch (page) {
            case CONNECT -> connectPage;
            case SIGN_IN -> signInPage;
            case SHELL -> shell != null ? shell : signInPage;
        };
        if (shown != null
                && (pages.getChildren().size() != 1 || pages.getChildren().getFirst() != shown)) {
            pages.getChildren().setAll(shown);
        }
    }

    private void rememberScreen(String screen) {
        viewModel.showingScreen(screen);
    }
}
