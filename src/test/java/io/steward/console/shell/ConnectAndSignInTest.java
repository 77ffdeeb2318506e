package io.steward.console.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.steward.console.testsupport.Api;
import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Connect page and the Sign-in page, driven through the real window against a real server. */
@ExtendWith(ApplicationExtension.class)
class ConnectAndSignInTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TestServer server = TestServer.shared();
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void aServerAddressIsConnectedToSignedInAndRemembered(FxRobot robot) throws Exception {
        window = ConsoleWindow.open(robot, List.of());
        window.awaitShowing("#address", WAIT);
        window.screenshot("console-connect.png");

        window.type("#address", server.url().toString());
        window.click("#connect");
        window.awaitShowing("#email", WAIT);
        assertThat(window.text("#server")).isEqualTo("Server: " + server.url());

        window.signIn(TestServer.ADMIN, TestServer.PASSWORD);
        window.awaitShowing("#nav-dashboard", WAIT);
        assertThat(window.text("#statusUser")).endsWith("· admin");
        assertThat(window.text("#statusServer")).isEqualTo("Server: " + server.url());
        String saved = Files.readString(window.configDir().resolve("console.json"));
        assertThat(saved)
                .contains("\"connection\" : \"remote\"")
                .contains(server.url().toString());

        // the next start goes straight to signing in on the remembered server
        window.close();
        window = ConsoleWindow.open(robot, List.of(), window.configDir());
        window.awaitShowing("#email", WAIT);
        assertThat(window.text("#server")).isEqualTo("Server: " + server.url());
        assertThat(window.node("#email", TextField.class).getText()).isEqualTo(TestServer.ADMIN);
    }

    @Test
    void anAddressWhereNothingListensIsExplained(FxRobot robot) {
        String address = "http://127.0.0.1:" + TestServer.freePort() + "/";
        window = ConsoleWindow.open(robot, List.of());
        window.awaitShowing("#address", WAIT);
        window.type("#address", address);
        window.click("#connect");

        window.awaitShowing("#error", WAIT);
        assertThat(window.text("#error"))
                .isEqualTo("Nothing answers at " + address + ". Check the address and that the server is running.");
        window.screenshot("console-unreachable.png");
    }

    @Test
    void aWebServerThatIsNotStewardIsNamedAsSuch(FxRobot robot) throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            window = ConsoleWindow.open(robot, List.of());
            window.awaitShowing("#address", WAIT);
            window.type("#address", "127.0.0.1:" + other.getAddress().getPort());
            window.click("#connect");

            window.awaitShowing("#error", WAIT);
            assertThat(window.text("#error"))
                    .contains("answered 404")
                    .contains("Is this the address of a Steward server");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aSecureAddressForAPlainServerIsExplainedAsATlsProblem(FxRobot robot) {
        String address = server.url().toString().replace("http://", "https://");
        window = ConsoleWindow.open(robot, List.of());
        window.awaitShowing("#address", WAIT);
        window.type("#address", address);
        window.click("#connect");

        window.awaitShowing("#error", WAIT);
        assertThat(window.text("#error"))
                .startsWith("A secure (TLS) connection to " + address + " failed: ")
                .endsWith("Check that the address starts with https only if the server uses TLS, and that its"
                        + " certificate is trusted.");
    }

    @Test
    void aTypingMistakeInTheAddressIsNamedBeforeAnythingIsSent(FxRobot robot) {
        window = ConsoleWindow.open(robot, List.of());
        window.awaitShowing("#address", WAIT);
        window.type("#address", "ftp://files.example.org");
        window.click("#connect");
        assertThat(window.text("#error")).isEqualTo("The address must start with http:// or https://.");
    }

    @Test
    void aWrongPasswordIsSaidPlainly(FxRobot robot) {
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        window.signIn(TestServer.AUDITOR, "not-the-password");

        window.awaitShowing("#message", WAIT);
        assertThat(window.text("#message")).isEqualTo("Wrong e-mail address or password.");
        assertThat(window.node("#password", PasswordField.class).getText()).isEmpty();
    }

    @Test
    void aLockedAccountSaysUntilWhen(FxRobot robot) throws Exception {
        String email = "locked-" + System.nanoTime() + "@steward.local";
        Api.asAdmin(server).createSupportAccount(email);
        window = ConsoleWindow.open(robot, List.of("--server", server.url().toString()));
        for (int attempt = 1; attempt <= 5; attempt++) {
            window.signIn(email, "wrong-password-" + attempt);
            window.await(
                    WAIT,
                    "failed sign-in " + attempt,
                    () -> !window.viewModel().busyProperty().get()
                            && window.viewModel().signInMessageProperty().get().startsWith("Wrong"));
        }
        LocalTime earliest = LocalTime.now().plusMinutes(15).withSecond(0).withNano(0);
        window.signIn(email, TestServer.PASSWORD);

        window.await(
                WAIT,
                "the lock message",
                () -> window.viewModel().signInMessageProperty().get().contains("until"));
        String message = window.text("#message");
        assertThat(message)
                .startsWith("This account is locked on this computer after too many failed sign-ins, until ");
        String at = message.replaceFirst(".*, until (\\d\\d:\\d\\d)\\..*", "$1");
        LocalTime until = LocalTime.parse(at, DateTimeFormatter.ofPattern("HH:mm"));
        assertThat(until).isBetween(earliest, earliest.plusMinutes(2));
        window.screenshot("console-sign-in-locked.png");
    }
}
