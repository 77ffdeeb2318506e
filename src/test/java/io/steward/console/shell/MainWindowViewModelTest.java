package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.StewardClient;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The view model on its own: no stage, work run on the calling thread. */
class MainWindowViewModelTest {
    static final TaskExecutor SAME_THREAD = new TaskExecutor() {
        @Override
        public <T> void run(Supplier<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                onFailure.accept(e);
                return;
            }
            onSuccess.accept(result);
        }
    };

    @Test
    void anUnreachableServerEndsInFailedWithTheAddressInTheMessage() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        var viewModel = new MainWindowViewModel(
                new ConnectionTarget(Optional.of(url), Optional.empty(), 0),
                target -> {
                    throw new AssertionError("a remote target never starts the bundled server");
                },
                StewardClient::new,
                SAME_THREAD);

        viewModel.connect();

        assertThat(viewModel.stateProperty().get()).isEqualTo(MainWindowViewModel.ConnectionState.FAILED);
        assertThat(viewModel.busyProperty().get()).isFalse();
        assertThat(viewModel.statusProperty().get()).isEqualTo("Cannot reach the server");
        assertThat(viewModel.detailProperty().get()).contains(url.toString());
        assertThat(viewModel.serverUrlProperty().get()).isEqualTo(url.toString());
    }

    @Test
    void argumentsChooseBetweenTheBundledAndARemoteServer() {
        assertThat(ConnectionTarget.fromArguments(java.util.List.of()).bundled())
                .isTrue();
        var remote = ConnectionTarget.fromArguments(java.util.List.of("--server", "https://steward.academy.example"));
        assertThat(remote.bundled()).isFalse();
        assertThat(remote.server()).contains(URI.create("https://steward.academy.example"));
        assertThat(ConnectionTarget.fromArguments(java.util.List.of("--demo=50"))
                        .demoUsers())
                .isEqualTo(50);
    }

    @Test
    void aBundledServerThatCannotStartGivesItsOwnReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path notAFolder = java.nio.file.Files.writeString(tmp.resolve("data"), "a file");
        var viewModel = new MainWindowViewModel(
                new ConnectionTarget(Optional.empty(), Optional.of(notAFolder), 0),
                BundledServer::start,
                StewardClient::new,
                SAME_THREAD);

        viewModel.connect();

        assertThat(viewModel.stateProperty().get()).isEqualTo(MainWindowViewModel.ConnectionState.FAILED);
        assertThat(viewModel.statusProperty().get()).isEqualTo("The server on this computer could not be started");
        assertThat(viewModel.detailProperty().get())
                .isEqualTo("The data folder " + notAFolder + " is a file, not a folder.");
    }
}
