package io.steward.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.testsupport.ConsoleWindow;
import io.steward.console.testsupport.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.chart.LineChart;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The Metrics screen: charts fed from the server's store and the live stream, pause, export. */
@ExtendWith(ApplicationExtension.class)
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private ConsoleWindow window;

    @AfterEach
    void close() {
        if (window != null) {
            window.close();
        }
    }

    @SuppressWarnings("unchecked")
    private int points(String chart, int line) {
        var result = new int[1];
        window.await(WAIT, "the chart", () -> {
            result[0] =
                    window.node("#chart-" + chart, LineChart.class).getData().size() > line
                            ? ((LineChart<Number, Number>) window.node("#chart-" + chart, LineChart.class))
                                    .getData()
                                    .get(line)
                                    .getData()
                                    .size()
                            : 0;
            return true;
        });
        return result[0];
    }

    @Test
    void theChartsReceivePointsPauseAndExport(FxRobot robot) throws Exception {
        window = ConsoleWindow.open(
                robot, List.of("--server", TestServer.shared().url().toString()));
        window.signIn(TestServer.AUDITOR, TestServer.PASSWORD);
        window.awaitShowing("#tile-overall", WAIT);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        window.awaitShowing("#chart-requests", WAIT);

        int first = points("latency", 2);
        window.await(WAIT, "live points", () -> points("requests", 0) >= 3 && points("latency", 2) > first);
        assertThat(points("cpu", 1)).isPositive();
        assertThat(window.text("#problem")).isEmpty();
        assertThat(window.text("#status")).isEqualTo("Showing the last 5 minutes, one point a second");

        window.screenshot("metrics.png");
        window.click("#hour");
        window.await(
                WAIT,
                "the hour window",
                () -> window.text("#status").equals("Showing the last hour, one point a second"));
        window.click("#pause");
        assertThat(window.text("#status")).endsWith(" · paused");
        int frozen = points("requests", 0);
        String sampleBefore = String.valueOf(window.viewModel()
                .sessionProperty()
                .get()
                .feed()
                .sampleProperty()
                .get()
                .at());
        window.await(WAIT, "two more seconds of stream", () -> {
            var now = window.viewModel()
                    .sessionProperty()
                    .get()
                    .feed()
                    .sampleProperty()
                    .get()
                    .at();
            return now.isAfter(java.time.Instant.parse(sampleBefore).plusSeconds(1));
        });
        assertThat(points("requests", 0)).isEqualTo(frozen);

        window.click("#exportCsv");
        Path csv = window.configDir().resolve("steward-metrics.csv");
        window.await(
                WAIT,
                "the CSV file",
                () -> Files.exists(csv) && window.text("#saved").startsWith("Saved"));
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.getFirst())
                .startsWith("time,http.requests.rate,http.latency.p50,http.latency.p95,http.latency.p99");
        assertThat(rows).hasSizeGreaterThan(3);
        assertThat(rows.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ,.*");

        window.click("#exportPng");
        Path png = window.configDir().resolve("steward-metrics.png");
        window.await(
                WAIT,
                "the PNG file",
                () -> Files.exists(png) && window.text("#saved").contains("steward-metrics.png"));
        var image = new Image(png.toUri().toString());
        assertThat(image.isError()).isFalse();
        assertThat(image.getWidth()).isGreaterThan(300);

        window.click("#pause");
        assertThat(window.text("#status")).doesNotContain("paused");
    }
}
