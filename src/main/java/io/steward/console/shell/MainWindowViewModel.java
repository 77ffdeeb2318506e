package io.steward.console.shell;

import io.steward.console.client.StewardClient;
import io.steward.server.api.HealthStatus;
import java.net.URI;
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
 * State of the main window: which server, whether it is reachable and ready, and what to tell
 * the person at the console. Holds no JavaFX nodes; the view binds to its properties.
 */
public final class MainWindowViewModel implements AutoCloseable {

    /** Where the connection stands. */
    public enum ConnectionState {
        STARTING,
        CONNECTING,
        READY,
        NOT_READY,
        FAILED
    }

    private final ConnectionTarget target;
    private final Function<ConnectionTarget, BundledServer> serverStarter;
    private final Function<URI, StewardClient> clientFactory;
    private final TaskExecutor executor;

    private final ObjectProperty<ConnectionState> state = new SimpleObjectProperty<>(ConnectionState.CONNECTING);
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty detail = new SimpleStringProperty("");
    private final StringProperty serverUrl = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private @Nullable BundledServer bundled;

    public MainWindowViewModel(
            ConnectionTarget target,
            Function<ConnectionTarget, BundledServer> serverStarter,
            Function<URI, StewardClient> clientFactory,
            TaskExecutor executor) {
        this.target = target;
        this.serverStarter = serverStarter;
        this.clientFactory = clientFactory;
        this.executor = executor;
        target.server().ifPresent(url -> serverUrl.set(url.toString()));
    }

    /** Starts the bundled server if needed, then asks the server whether it is ready. */
    public void connect() {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        detail.set("");
        if (target.bundled() && (bundled == null || !bundled.isAlive())) {
            state.set(ConnectionState.STARTING);
            status.set("Starting the Steward server on this computer…");
            detail.set("The first start prepares the database and demo data; this can take a minute.");
        } else {
            state.set(ConnectionState.CONNECTING);
            status.set("Connecting to " + serverUrl.get() + "…");
        }
        executor.run(this::reachServer, this::showHealth, this::showFailure);
    }

    private Reached reachServer() {
        URI url = target.server().orElseGet(() -> {
            if (bundled == null || !bundled.isAlive()) {
                bundled = serverStarter.apply(target);
            }
            return bundled.baseUrl();
        });
        return new Reached(url, clientFactory.apply(url).readiness());
    }

    private record Reached(URI url, HealthStatus health) {}

    private void showHealth(Reached reached) {
        busy.set(false);
        serverUrl.set(reached.url().toString());
        HealthStatus health = reached.health();
        String where =
                target.bundled() ? "the server on this computer" : reached.url().toString();
        if (health.status().equals("UP")) {
            state.set(ConnectionState.READY);
            status.set("Connected to " + where + " — the server is up");
            detail.set(Optional.ofNullable(health.checks().get("database"))
                    .map(db -> "Database answered in " + db.latencyMs() + " ms.")
                    .orElse(""));
        } else {
            state.set(ConnectionState.NOT_READY);
            status.set("Reached " + where + ", but it is not ready");
            detail.set("Its database does not answer. The server keeps trying; press Retry in a moment.");
        }
    }

    private void showFailure(Throwable failure) {
        busy.set(false);
        state.set(ConnectionState.FAILED);
        status.set(target.bundled() ? "The server on this computer could not be started" : "Cannot reach the server");
        detail.set(failure.getMessage() == null ? "No further details." : failure.getMessage());
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail;
    }

    public ReadOnlyStringProperty serverUrlProperty() {
        return serverUrl;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** Stops the bundled server, if this console started one. */
    @Override
    public void close() {
        if (bundled != null) {
            bundled.close();
        }
    }
}
