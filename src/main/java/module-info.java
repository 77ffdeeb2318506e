/** Steward's desktop console. It reaches a server only over HTTP, through {@code io.steward.console.client}. */
module io.steward.console {
    requires javafx.controls;
    requires javafx.fxml;
    requires okhttp3;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.jspecify;
    requires org.slf4j;
    requires io.steward.server;

    exports io.steward.console;

    opens io.steward.console.shell to
            javafx.fxml;
}
