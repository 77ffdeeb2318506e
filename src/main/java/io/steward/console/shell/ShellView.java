package io.steward.console.shell;

import io.steward.console.session.Session;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in window: menu bar (every action, with its shortcut), sidebar with the screens this
 * role may use (others are not shown at all), the current screen, the degraded-mode banner, a
 * one-time notice, and the status bar. Screens are built when first shown and kept.
 */
public final class ShellView {
    private final Session session;
    private final MainWindowViewModel main;
    private final ShellViewModel viewModel;
    private final Map<String, ScreenSpec> specs = new LinkedHashMap<>();
    private final Map<String, Parent> built = new HashMap<>();
    private final Map<String, ToggleButton> navigation = new HashMap<>();

    @FXML
    private MenuBar menuBar;

    @FXML
    private HBox banner;

    @FXML
    private Label bannerText;

    @FXML
    private HBox notice;

    @FXML
    private Label noticeText;

    @FXML
    private Button dismissNotice;

    @FXML
    private VBox sidebar;

    @FXML
    private StackPane screenHost;

    @FXML
    private Label statusServer;

    @FXML
    private Label statusUser;

    @FXML
    private Label statusConnection;

    public ShellView(Session session, MainWindowViewModel main, List<ScreenSpec> screens, Clock clock) {
        this.session = session;
        this.main = main;
        screens.stream().filter(spec -> spec.visibleTo(session.role())).forEach(spec -> specs.put(spec.id(), spec));
        this.viewModel = new ShellViewModel(
                session, List.copyOf(specs.keySet()), main.settings().screen(), clock);
        session.navigator().attach(viewModel::show);
    }

    public ShellViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        var group = new ToggleGroup();
        for (ScreenSpec spec : specs.values()) {
            var button = new ToggleButton(spec.title());
            button.setId("nav-" + spec.id());
            button.getStyleClass().add("nav-button");
            button.setMaxWidth(Double.MAX_VALUE);
            button.setToggleGroup(group);
            button.setOnAction(event -> {
                viewModel.show(spec.id());
                button.setSelected(true);
            });
            var badge = new Label();
            badge.setId("badge-" + spec.id());
            badge.getStyleClass().add("badge");
            badge.textProperty().bind(spec.badge().apply(session));
            badge.visibleProperty().bind(badge.textProperty().isNotEmpty());
            button.setGraphic(badge);
            button.setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
            navigation.put(spec.id(), button);
            sidebar.getChildren().add(button);
        }
        viewModel.screenProperty().subscribe(this::showScreen);

        banner.visibleProperty().bind(viewModel.stale());
        banner.managedProperty().bind(banner.visibleProperty());
        bannerText.textProperty().bind(viewModel.bannerText());
        viewModel.stale().subscribe(stale -> {
            if (stale) {
                screenHost.getStyleClass().add("stale");
            } else {
                screenHost.getStyleClass().remove("stale");
            }
        });
        noticeText.textProperty().bind(main.noticeProperty());
        notice.visibleProperty().bind(main.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        statusServer.setText(viewModel.serverText());
        statusUser.setText(viewModel.userText());
        statusConnection.textProperty().bind(viewModel.connectionText());
        viewModel.stale().subscribe(stale -> {
            statusConnection.getStyleClass().removeAll("live", "lost");
            statusConnection.getStyleClass().add(stale ? "lost" : "live");
        });
        buildMenus();
    }

    private void showScreen(String id) {
        ScreenSpec spec = java.util.Objects.requireNonNull(specs.get(id), id);
        Parent view = built.computeIfAbsent(id, key -> spec.view().apply(session));
        screenHost.getChildren().setAll(view);
        java.util.Objects.requireNonNull(navigation.get(id)).setSelected(true);
        // the keys go where the screen is used first: typing after Ctrl+4 searches
        javafx.application.Platform.runLater(this::focusFirstField);
    }

    /**
     * Puts the keyboard focus in the open screen's first field (its search or filter, marked
     * {@code first-field} in its layout), its text selected to be typed over; false when it has none.
     */
    private boolean focusFirstField() {
        if (screenHost.getChildren().isEmpty()) {
            return false;
        }
        javafx.scene.Node field = screenHost.getChildren().getFirst().lookup(".first-field");
        if (field == null || field.isDisabled()) {
            return false;
        }
        field.requestFocus();
        if (field instanceof javafx.scene.control.TextInputControl text) {
            text.selectAll();
        }
        return true;
    }

    private void buildMenus() {
        var steward = new Menu("_Steward");
        var changeServer = item("Change server…", null, main::changeServer);
        changeServer.setId("menu-change-server");
        var signOut = item(
                "Sign out",
                new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                main::signOut);
        signOut.setId("menu-sign-out");
        var quit = item(
                "Quit",
                new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
                () -> screenHost.getScene().getWindow().hide());
        steward.getItems().addAll(changeServer, signOut, new SeparatorMenuItem(), quit);

        var view = new Menu("_View");
        for (ScreenSpec spec : specs.values()) {
            view.getItems()
                    .add(item(
                            spec.title(),
                            new KeyCodeCombination(spec.key(), KeyCombination.SHORTCUT_DOWN),
                            () -> viewModel.show(spec.id())));
        }
        var theme = new CheckMenuItem("Dark theme");
        theme.setId("menu-dark-theme");
        theme.setAccelerator(
                new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        theme.setSelected(main.darkProperty().get());
        theme.setOnAction(event -> main.toggleTheme());
        main.darkProperty().subscribe(theme::setSelected);
        var find = item(
                "Search or filter this screen",
                new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                this::focusFirstField);
        find.setId("menu-find");
        view.getItems().addAll(new SeparatorMenuItem(), find, theme);

        var help = new Menu("_Help");
        var shortcuts = item("Keyboard shortcuts", new KeyCodeCombination(KeyCode.F1), this::showShortcuts);
        shortcuts.setId("menu-shortcuts");
        help.getItems().add(shortcuts);
        menuBar.getMenus().setAll(steward, view, help);
    }

    private static MenuItem item(String text, @Nullable KeyCombination key, Runnable action) {
        var item = new MenuItem(text);
        if (key != null) {
            item.setAccelerator(key);
        }
        item.setOnAction(event -> action.run());
        return item;
    }

    /** Lists every menu action with its shortcut, straight from the menus, so the list is never out of date. */
    private void showShortcuts() {
        var grid = new GridPane();
        grid.setHgap(24);
        grid.setVgap(6);
        grid.setPadding(new Insets(12));
        int row = 0;
        for (Menu menu : menuBar.getMenus()) {
            for (MenuItem item : menu.getItems()) {
                if (item.getAccelerator() != null) {
                    var key = new Label(item.getAccelerator().getDisplayText());
                    key.getStyleClass().add("shortcut-key");
                    grid.addRow(row++, key, new Label(menu.getText().replace("_", "") + " › " + item.getText()));
                }
            }
        }
        grid.addRow(row++, new Label("Tab / Shift+Tab"), new Label("Move between fields, buttons and lists"));
        grid.addRow(row, new Label("Alt + underlined letter"), new Label("Open a menu or press a button"));
        var dialog = new Dialog<ButtonType>();
        dialog.setTitle("Keyboard shortcuts");
        dialog.setHeaderText("Every screen and action can be reached from the keyboard.");
        dialog.initOwner(screenHost.getScene().getWindow());
        dialog.getDialogPane().setId("shortcuts-dialog");
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getStylesheets().setAll(screenHost.getScene().getStylesheets());
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.show();
    }

    @FXML
    private void onDismissNotice() {
        main.dismissNotice();
    }
}
