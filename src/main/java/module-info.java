/** Steward's desktop console. It reaches a server only over HTTP, through {@code io.steward.console.client}. */
module io.steward.console {
    requires javafx.controls;
    requires javafx.fxml;
    requires okhttp3;
    requires okhttp3.sse;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires org.controlsfx.controls;
    requires org.jspecify;
    requires org.slf4j;
    requires jul.to.slf4j;
    requires io.steward.server;

    // TilesFX declares javafx.web and javafx.media, which the console leaves out (WebKit alone is
    // 122 MB): it is compiled against on the class path (see src/pom.xml) and read as unnamed

    exports io.steward.console;

    opens io.steward.console.shell to
            javafx.fxml;
    opens io.steward.console.startup to
            com.fasterxml.jackson.databind;
    opens io.steward.console.dashboard to
            javafx.fxml;
    opens io.steward.console.alerts to
            javafx.fxml;
    opens io.steward.console.metrics to
            javafx.fxml;
    opens io.steward.console.audit to
            javafx.fxml;
    opens io.steward.console.flags to
            javafx.fxml;
    opens io.steward.console.users to
            javafx.fxml;
    opens io.steward.console.gdpr to
            javafx.fxml;
    opens io.steward.console.reports to
            javafx.fxml;
    opens io.steward.console.backups to
            javafx.fxml;
    opens io.steward.console.client to
            com.fasterxml.jackson.databind;
}
