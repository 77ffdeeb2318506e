package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.HttpTransport;
import io.steward.console.session.TaskExecutor;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.SettingsStore;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The window's journey without a window: view model, real client, real server, everything on the test's thread. */
class MainWindowViewModelTest {
    private static final TaskExecutor SAME_THREAD = FakeSession.SAME_THREAD;

    private final Path config = ConsoleWindow.freshConfigFolder();
    private final SettingsStore store = new SettingsStore(config);
    private MainWindowViewModel viewModel;

    private MainWindowViewModel open(List<String> args) {
        viewModel = new MainWindowViewModel(
                LaunchOptions.parse(args),
                store,
                store.load(),
                (dataDir, demo) -> {
                    throw new AssertionError("no bundled server in this test");
                },
                HttpTransport::new,
                SAME_THREAD,
                Clock.systemDefaultZone());
        viewModel.start();
        return viewModel;
    }

    @AfterEach
    void close() {
        if (viewModel != null) {
            viewModel.close();
        }
    }

    @Test
    void theFirstStartAsksWhichServer() {
        assertThat(open(List.of()).pageProperty().get()).isEqualTo(MainWindowViewModel.Page.CONNECT);
    }

    @Test
    void aChosenAddressIsRememberedAndTheNextStartGoesStraightToSigningIn() throws Exception {
        var model = open(List.of());
        model.addressProperty().set(TestServer.shared().url().toString());
        model.chooseAddress();
        assertThat(model.pageProperty().get()).isEqualTo(MainWindowViewModel.Page.SIGN_IN);
        model.close();
        assertThat(Files.readString(config.resolve("console.json"))).contains("\"connection\" : \"remote\"");

        var next = open(List.of());
        assertThat(next.pageProperty().get()).isEqualTo(MainWindowViewModel.Page.SIGN_IN);
        assertThat(next.serverLabelProperty().get())
                .isEqualTo(TestServer.shared().url().toString());
    }

    @Test
    void signingInOpensTheShellAndSigningOutReturnsWithASentence() {
        var model = open(List.of("--server", TestServer.shared().url().toString()));
        model.emailProperty().set(TestServer.AUDITOR);
        model.passwordProperty().set(TestServer.PASSWORD);
        model.signIn();
        assertThat(model.pageProperty().get()).isEqualTo(MainWindowViewModel.Page.SHELL);
        assertThat(model.sessionProperty().get().role().wireName()).isEqualTo("auditor");
        assertThat(model.passwordProperty().get())
                .as("the password is not kept")
                .isEmpty();

        model.signOut();
        assertThat(model.pageProperty().get()).isEqualTo(MainWindowViewModel.Page.SIGN_IN);
        assertThat(model.sessionProperty().get()).isNull();
        assertThat(model.signInMessageProperty().get()).isEqualTo("You have signed out.");
        assertThat(model.signInMessageIsErrorProperty().get()).isFalse();
    }

    @Test
    void anEmptyFormIsAnsweredWithoutAskingTheServer() {
        var model = open(List.of("--server", TestServer.shared().url().toString()));
        model.emailProperty().set("  ");
        model.signIn();
        assertThat(model.signInMessageProperty().get()).isEqualTo("Type your e-mail address and password.");
        assertThat(model.pageProperty().get()).isEqualTo(MainWindowViewModel.Page.SIGN_IN);
    }

    @Test
    void theThemeIsRemembered() throws Exception {
        var model = open(List.of());
        assertThat(model.darkProperty().get()).isFalse();
        model.toggleTheme();
        model.close();
        assertThat(open(List.of()).darkProperty().get()).isTrue();
    }
}
