package io.steward.console.testsupport;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** A TestFX test of one console screen on the shared server: the window it opens is closed after each test. */
public abstract class ScreenTest {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    protected final TestServer server = TestServer.shared();
    protected ConsoleWindow window;

    @AfterEach
    void closeWindow() {
        if (window != null) {
            window.close();
        }
    }
}
