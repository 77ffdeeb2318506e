package io.steward.console.shell;

import io.steward.console.client.ApiException;
import io.steward.console.client.HttpTransport;
import io.steward.console.client.StewardApi;
import io.steward.console.session.LiveFeed;
import io.steward.console.session.Navigator;
import io.steward.console.session.Session;
import io.steward.console.session.TaskExecutor;
import io.steward.console.startup.BundledServer;
import io.steward.console.startup.ConsoleSettings;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.ServerAddress;
import io.steward.console.startup.SettingsStore;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.HealthStatus;
import io.steward.server.api.LoginResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/**
 * The window's journey: choose a server (this computer or an address), connect, sign in, work in
 * the shell, sign out or have the session expire (back to sign-in, window kept), change server.
 * Remembers the choice, the last e-mail and the theme. Holds no JavaFX nodes.
 */
public final class MainWindowViewModel implements AutoCloseable {

    /** Which page the window shows. */
    public enum Page {
        CONNECT,
        SIGN_IN,
        SHELL
    }

    /** Starts the server on this computer. */
    @FunctionalInterface
    public interface BundledStarter {
        BundledServer start(Optional<Path> dataDir, int demoUsers);
    }

    private final LaunchOptions options;
    private final SettingsStore store;
    private final BundledStarter starter;
    private final Function<URI, HttpTransport> transportFactory;
    private final TaskExecutor executor;
    private final Clock clock;

    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(Page.CONNECT);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty progress = new SimpleStringProperty("");
    private final StringProperty connectError = new SimpleStringProperty("");
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty email = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty signInMessage = new SimpleStringProperty("");
    private final BooleanProperty signInMessageIsError = new SimpleBooleanProperty(false);
    private final StringProperty signInHint = new SimpleStringProperty("");
    private final StringProperty serverLabel = new SimpleStringProperty("");
    private final StringProperty notice = new SimpleStringProperty("");
    private final BooleanProperty dark = new SimpleBooleanProperty(false);
    private final ObjectProperty<@Nullable Session> session = new SimpleObjectProperty<>();

    private ConsoleSettings settings;
    private @Nullable BundledServer bundled;
    private @Nullable HttpTransport transport;
    private boolean local;

    public MainWindowViewModel(
            LaunchOptions options,
            SettingsStore store,
            ConsoleSettings settings,
            BundledStarter starter,
            Function<URI, HttpTransport> transportFactory,
            TaskExecutor executor,
            Clock clock) {
        this.options = options;
        this.store = store;
        this.settings = settings;
        this.starter = starter;
        this.transportFactory = transportFactory;
        this.executor = executor;
        this.clock = clock;
        dark.set(settings.dark());
        email.set(Optional.ofNullable(settings.lastEmail()).orElse(""));
        address.set(Optional.ofNullable(settings.serverUrl()).orElse(""));
    }

    /** Where to go at start: the command line first, then the remembered choice, else the Connect page. */
    public void start() {
        if (options.server().isPresent()) {
            address.set(options.server().get().toString());
            connectRemote(options.server().get(), false);
        } else if (options.demoUsers() > 0 || options.dataDir().isPresent()) {
            connectLocal(false);
        } else if ("local".equals(settings.connection())) {
            connectLocal(false);
        } else if ("remote".equals(settings.connection()) && settings.serverUrl() != null) {
            connectRemote(URI.create(settings.serverUrl()), false);
        } else {
            page.set(Page.CONNECT);
        }
    }

    /** "This computer": start the bundled server and use it. */
    public void chooseThisComputer() {
        connectLocal(true);
    }

    /** "Server address": use the server at the typed address. */
    public void chooseAddress() {
        URI url;
        try {
            url = ServerAddress.parse(address.get());
        } catch (IllegalArgumentException e) {
            connectError.set(e.getMessage());
            return;
        }
        address.set(url.toString());
        connectRemote(url, true);
    }

    private void connectLocal(boolean remember) {
        if (busy.get()) {
            return;
        }
        local = true;
        begin("Starting the Steward server on this computer… The first start creates its database"
                + (options.demoUsers() > 0 ? " and demo data" : "") + "; this can take a minute.");
        executor.run(
                () -> {
                    if (bundled == null) {
                        bundled = starter.start(options.dataDir(), options.demoUsers());
                    }
                    HttpTransport reached = transportFactory.apply(bundled.baseUrl());
                    HealthStatus health = reached.readiness();
                    // the generated password is shown, and signed in with, on the first connection only
                    return new Reached(
                            reached,
                            health,
                            health.status().equals("UP") ? bundled.takeFirstAdmin() : Optional.empty(),
                            bundled.initialPasswordFile());
                },
                reached -> {
                    if (remember) {
                        remember(settings.withConnection("local", null));
                    }
                    connected(reached, "This computer");
                },
                this::connectFailed);
    }

    private void connectRemote(URI url, boolean remember) {
        if (busy.get()) {
            return;
        }
        local = false;
        begin("Connecting to " + url + "…");
        executor.run(
                () -> {
                    HttpTransport reached = transportFactory.apply(url);
                    return new Reached(reached, reached.readiness(), Optional.empty(), Optional.empty());
                },
                reached -> {
                    if (remember) {
                        remember(settings.withConnection("remote", url.toString()));
                    }
                    connected(reached, url.toString());
                },
                this::connectFailed);
    }

    private record Reached(
            HttpTransport transport,
            HealthStatus health,
            Optional<BundledServer.FirstAdmin> firstAdmin,
            Optional<Path> passwordFile) {}

    private void begin(String what) {
        page.set(Page.CONNECT);
        busy.set(true);
        progress.set(what);
        connectError.set("");
    }

    private void connected(Reached reached, String label) {
        busy.set(false);
        progress.set("");
        if (!reached.health().status().equals("UP")) {
            reached.transport().close();
            connectError.set(
                    "The server at " + reached.transport().baseUrl()
                            + " answers, but it is not ready: its database does not respond. It keeps trying by itself; try again in a moment.");
            return;
        }
        replaceTransport(reached.transport());
        serverLabel.set(label);
        signInHint.set(reached.passwordFile()
                .map(file -> "The first administrator's password is in " + file + ".")
                .orElse(""));
        signInMessage.set("");
        if (reached.firstAdmin().isPresent()) {
            BundledServer.FirstAdmin admin = reached.firstAdmin().get();
            email.set(admin.email());
            password.set(admin.password());
            notice.set("Welcome to Steward. You are signed in as " + admin.email()
                    + ", the first administrator, with the password " + admin.password()
                    + admin.passwordFile()
                            .map(file -> " (also kept in " + file + ")")
                            .orElse("")
                    + ". Keep it somewhere safe: it is not shown again.");
            signIn();
            return;
        }
        page.set(Page.SIGN_IN);
    }

    private void replaceTransport(HttpTransport next) {
        if (transport != null && transport != next) {
            transport.close();
        }
        transport = next;
        next.onSessionExpired(why -> executor.ui(() -> sessionEnded(why)));
    }

    private void connectFailed(Throwable failure) {
        busy.set(false);
        progress.set("");
        page.set(Page.CONNECT);
        connectError.set(
                local
                        ? "The server on this computer could not be started. " + Text.problem(failure)
                        : Text.problem(failure));
    }

    /** Signs in with the e-mail and password typed. */
    public void signIn() {
        HttpTransport current = transport;
        if (busy.get() || current == null) {
            return;
        }
        if (email.get().isBlank() || password.get().isEmpty()) {
            showSignInMessage("Type your e-mail address and password.", true);
            return;
        }
        busy.set(true);
        String typedEmail = email.get().strip();
        String typedPassword = password.get();
        executor.run(() -> new StewardApi(current).auth().login(typedEmail, typedPassword), this::signedIn, failure -> {
            busy.set(false);
            password.set("");
            page.set(Page.SIGN_IN);
            showSignInMessage(signInProblem(failure), true);
        });
    }

    private void signedIn(LoginResponse response) {
        busy.set(false);
        password.set("");
        signInMessage.set("");
        remember(settings.withLastEmail(response.user().email()));
        HttpTransport current = java.util.Objects.requireNonNull(transport);
        var feed = new LiveFeed(current, executor, this::sessionEnded);
        session.set(new Session(
                new StewardApi(current), response.user(), serverLabel.get(), feed, executor, new Navigator()));
        feed.start();
        page.set(Page.SHELL);
    }

    private String signInProblem(Throwable failure) {
        if (failure instanceof ApiException api) {
            return switch (api.code()) {
                case "INVALID_CREDENTIALS" -> "Wrong e-mail address or password.";
                case "RATE_LIMITED" -> {
                    String until = api.retryAfter()
                            .map(wait -> clock.instant().plus(wait).plus(Duration.ofSeconds(59)))
                            .map(at -> Dates.TIME.format(at.atZone(ZoneId.systemDefault())))
                            .orElse("later");
                    String said = api.serverMessage();
                    if (said.contains("for this account")) {
                        yield "This account is locked on this computer after too many failed sign-ins, until " + until
                                + ". An admin can unlock it sooner.";
                    }
                    yield said.contains("in a moment")
                            ? "The server is busy with other sign-ins. Try again in a moment."
                            : "Too many sign-in attempts from this computer. Try again at " + until + ".";
                }
                case "VALIDATION_ERROR" -> Text.capitalised(api.serverMessage()) + ".";
                default -> Text.problem(failure);
            };
        }
        return Text.problem(failure);
    }

    private void showSignInMessage(String text, boolean error) {
        signInMessage.set(text);
        signInMessageIsError.set(error);
    }

    /** Signs out on the server and returns to the sign-in page. */
    public void signOut() {
        Session ended = endSession();
        logOutOnServer(ended);
        page.set(Page.SIGN_IN);
        showSignInMessage("You have signed out.", false);
    }

    /** Revokes the ended session's token on the server, in the background; a failure changes nothing here. */
    private void logOutOnServer(@Nullable Session ended) {
        if (ended == null) {
            return;
        }
        var current = ended.api().auth();
        executor.run(
                () -> {
                    current.logout();
                    return true;
                },
                done -> {},
                failure -> {});
    }

    /** The server ended the sign-in ({@code why} in words, or "" when it just lapsed). */
    private void sessionEnded(String why) {
        if (session.get() == null) {
            return;
        }
        endSession();
        page.set(Page.SIGN_IN);
        showSignInMessage(
                why.isBlank()
                        ? "Your session has expired. Sign in again to carry on."
                        : "Your session ended on the server: " + why + ". Sign in again to carry on.",
                true);
    }

    private @Nullable Session endSession() {
        Session ended = session.get();
        if (ended != null) {
            ended.feed().close();
            session.set(null);
        }
        notice.set("");
        return ended;
    }

    /** Back to the Connect page to pick another server; the bundled server keeps running until the console closes. */
    public void changeServer() {
        Session ended = endSession();
        logOutOnServer(ended);
        remember(settings.withConnection(null, null));
        connectError.set("");
        page.set(Page.CONNECT);
    }

    /** Switches between the light and the dark theme, and remembers it. */
    public void toggleTheme() {
        dark.set(!dark.get());
        remember(settings.withTheme(dark.get() ? "dark" : "light"));
    }

    /** Remembers where the window is. */
    public void rememberWindow(ConsoleSettings.WindowPlace place) {
        remember(settings.withWindow(place, settings.screen()));
    }

    /** Remembers the screen shown, so that the next sign-in and the next start open on it. */
    public void showingScreen(String screen) {
        if (!screen.equals(settings.screen())) {
            remember(settings.withWindow(settings.window(), screen));
        }
    }

    public ConsoleSettings settings() {
        return settings;
    }

    private void remember(ConsoleSettings next) {
        settings = next;
        store.saveLater(next);
    }

    /** Dismisses the one-time notice. */
    public void dismissNotice() {
        notice.set("");
    }

    public ReadOnlyObjectProperty<Page> pageProperty() {
        return page;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty connectErrorProperty() {
        return connectError;
    }

    public StringProperty addressProperty() {
        return address;
    }

    public StringProperty emailProperty() {
        return email;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public ReadOnlyStringProperty signInMessageProperty() {
        return signInMessage;
    }

    public ReadOnlyBooleanProperty signInMessageIsErrorProperty() {
        return signInMessageIsError;
    }

    public ReadOnlyStringProperty signInHintProperty() {
        return signInHint;
    }

    public ReadOnlyStringProperty serverLabelProperty() {
        return serverLabel;
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice;
    }

    public ReadOnlyBooleanProperty darkProperty() {
        return dark;
    }

    public ReadOnlyObjectProperty<@Nullable Session> sessionProperty() {
        return session;
    }

    /** Ends the session and stops the bundled server, if this console started one. */
    @Override
    public void close() {
        endSession();
        store.flush();
        if (transport != null) {
            transport.close();
        }
        if (bundled != null) {
            bundled.close();
            bundled = null;
        }
    }
}
