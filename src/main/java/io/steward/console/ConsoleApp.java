package io.steward.console;

import io.steward.console.alerts.AlertNotifications;
import io.steward.console.alerts.AlertsView;
import io.steward.console.alerts.AlertsViewModel;
import io.steward.console.alerts.SilencesViewModel;
import io.steward.console.audit.AuditView;
import io.steward.console.audit.AuditViewModel;
import io.steward.console.backups.BackupsView;
import io.steward.console.backups.BackupsViewModel;
import io.steward.console.client.HttpTransport;
import io.steward.console.dashboard.DashboardView;
import io.steward.console.dashboard.DashboardViewModel;
import io.steward.console.flags.FlagsView;
import io.steward.console.flags.FlagsViewModel;
import io.steward.console.gdpr.GdprQueueBadge;
import io.steward.console.gdpr.GdprView;
import io.steward.console.gdpr.GdprViewModel;
import io.steward.console.metrics.MetricsView;
import io.steward.console.metrics.MetricsViewModel;
import io.steward.console.reports.ReportsView;
import io.steward.console.reports.ReportsViewModel;
import io.steward.console.session.FxTaskExecutor;
import io.steward.console.shell.MainWindowView;
import io.steward.console.shell.MainWindowViewModel;
import io.steward.console.shell.ScreenSpec;
import io.steward.console.startup.BundledServer;
import io.steward.console.startup.ConsoleSettings;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.SettingsStore;
import io.steward.console.ui.FileDialogs;
import io.steward.console.ui.ViewLoader;
import io.steward.console.users.UsersView;
import io.steward.console.users.UsersViewModel;
import io.steward.server.api.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.PopupWindow;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console application: reads its options and settings, builds the window on the place and
 * screen it was closed on, and wires the screens.
 */
public final class ConsoleApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);
    private static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.SUPPORT, Role.AUDITOR);
    /** Those who look after users (admins and support). */
    private static final Set<Role> USERS = EnumSet.of(Role.ADMIN, Role.SUPPORT);
    /** Those who may read the audit trail, reports and backups (admins and auditors). */
    private static final Set<Role> AUDIT = EnumSet.of(Role.ADMIN, Role.AUDITOR);

    private LaunchOptions options;
    private SettingsStore store;
    private ConsoleSettings settings;
    private MainWindowViewModel viewModel;

    /** Runs before the window exists, off the UI thread: the place for reading files. */
    @Override
    public void init() {
        options = LaunchOptions.parse(getParameters().getRaw());
        store = new SettingsStore(options.configDir().orElseGet(() -> SettingsStore.defaultFolder(System.getenv())));
        settings = store.load();
    }

    @Override
    public void start(Stage stage) {
        viewModel = open(
                stage,
                options,
                store,
                settings,
                (dataDir, demoUsers) -> BundledServer.start(dataDir, demoUsers, System.getenv()),
                FileDialogs.system(getHostServices()),
                Clock.systemDefaultZone());
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, event -> Platform.exit());
    }

    /**
     * Builds the console's window in {@code stage} ({@code settings} read beforehand, off the UI thread): its screens, its place and size from the last
     * run, its notifications; shows it and starts (Connect page, or straight to a server). When
     * the window is closed it remembers where it was.
     */
    public static MainWindowViewModel open(
            Stage stage,
            LaunchOptions options,
            SettingsStore store,
            ConsoleSettings settings,
            MainWindowViewModel.BundledStarter starter,
            FileDialogs files,
            Clock clock) {
        var viewModel = new MainWindowViewModel(
                options, store, settings, starter, HttpTransport::new, new FxTaskExecutor(), clock);
        List<ScreenSpec> screens = screens(viewModel.darkProperty(), clock, files);
        Scene scene = new Scene(
                ViewLoader.load(
                        MainWindowView.class,
                        () -> new MainWindowView(
                                viewModel, screens, session -> AlertNotifications.follow(session, () -> stage), clock)),
                1180,
                760);
        stage.setTitle("Steward");
        stage.setScene(scene);
        place(stage, settings.window());
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, event -> {
            viewModel.rememberWindow(new ConsoleSettings.WindowPlace(
                    stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized()));
            // JavaFX on GTK can crash on exit while popups are open: close them first
            List.copyOf(Window.getWindows()).stream()
                    .filter(PopupWindow.class::isInstance)
                    .forEach(Window::hide);
        });
        stage.show();
        viewModel.start();
        reportFirstFrame(scene, viewModel);
        return viewModel;
    }

    /** Logs once, when the window's first frame has been laid out, which page it shows (the installer's tests wait for it). */
    private static void reportFirstFrame(Scene scene, MainWindowViewModel viewModel) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            LOG.info(
                    "console window shown on the {} page {} ms after the console started",
                    viewModel.pageProperty().get(),
                    ProcessHandle.current()
                            .info()
                            .startInstant()
                            .map(start -> Duration.between(start, Instant.now()).toMillis())
                            .orElse(-1L));
            // the start-up cache of the installed image, for the next start
            BundledServer.refreshStartUpCache();
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /** Every screen of the console, in sidebar order. */
    public static List<ScreenSpec> screens(ObservableBooleanValue dark, Clock clock, FileDialogs files) {
        return List.of(
                new ScreenSpec("dashboard", "Dashboard", KeyCode.DIGIT1, STAFF, session -> {
                    var model = new DashboardViewModel(session, clock);
                    var view = ViewLoader.load(DashboardView.class, () -> new DashboardView(model, dark));
                    model.start();
                    return view;
                }),
                new ScreenSpec("metrics", "Metrics", KeyCode.DIGIT2, STAFF, session -> {
                    var model = new MetricsViewModel(session);
                    var view = ViewLoader.load(MetricsView.class, () -> new MetricsView(model, files, clock.getZone()));
                    model.start();
                    return view;
                }),
                new ScreenSpec("alerts", "Alerts", KeyCode.DIGIT3, STAFF, session -> {
                    var model = new AlertsViewModel(session, clock);
                    var silences = new SilencesViewModel(session, clock.getZone());
                    var controller = new AlertsView(model, silences);
                    var view = ViewLoader.load(AlertsView.class, () -> controller);
                    session.feed().onSample(sample -> controller.tick());
                    model.start();
                    silences.start();
                    return view;
                }),
                new ScreenSpec("users", "Users", KeyCode.DIGIT4, USERS, session -> {
                    var model = new UsersViewModel(session, clock.getZone());
                    var view = ViewLoader.load(UsersView.class, () -> new UsersView(model, clock.getZone()));
                    model.start();
                    return view;
                }),
                new ScreenSpec(
                        "gdpr",
                        "GDPR requests",
                        KeyCode.DIGIT5,
                        USERS,
                        session -> {
                            var model = new GdprViewModel(session, clock);
                            var view =
                                    ViewLoader.load(GdprView.class, () -> new GdprView(model, files, clock.getZone()));
                            model.start();
                            return view;
                        },
                        GdprQueueBadge::follow),
                new ScreenSpec("audit", "Audit log", KeyCode.DIGIT6, AUDIT, session -> {
                    var model = new AuditViewModel(session, clock.getZone());
                    var view = ViewLoader.load(AuditView.class, () -> new AuditView(model));
                    model.start();
                    return view;
                }),
                new ScreenSpec("reports", "Reports", KeyCode.DIGIT7, AUDIT, session -> {
                    var model = new ReportsViewModel(session, clock);
                    return ViewLoader.load(ReportsView.class, () -> new ReportsView(model, files));
                }),
                new ScreenSpec("flags", "Feature flags", KeyCode.DIGIT8, STAFF, session -> {
                    var model = new FlagsViewModel(session, clock.getZone());
                    var view = ViewLoader.load(FlagsView.class, () -> new FlagsView(model));
                    model.start();
                    return view;
                }),
                new ScreenSpec("backups", "Backups", KeyCode.DIGIT9, AUDIT, session -> {
                    var model = new BackupsViewModel(session, clock);
                    var view = ViewLoader.load(BackupsView.class, () -> new BackupsView(model));
                    model.start();
                    return view;
                }));
    }

    /** Puts the window where it was, if that place is still on a screen. */
    private static void place(Stage stage, ConsoleSettings.@Nullable WindowPlace place) {
        if (place == null) {
            return;
        }
        boolean visible = !Screen.getScreensForRectangle(place.x(), place.y(), place.width(), place.height())
                .isEmpty();
        if (visible) {
            stage.setX(place.x());
            stage.setY(place.y());
            stage.setWidth(place.width());
            stage.setHeight(place.height());
        }
        stage.setMaximized(place.maximized());
    }

    @Override
    public void stop() {
        if (viewModel != null) {
            viewModel.close();
        }
    }
}
