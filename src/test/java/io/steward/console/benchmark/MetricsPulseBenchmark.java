package io.steward.console.benchmark;

import io.steward.console.ConsoleApp;
import io.steward.console.shell.MainWindowViewModel;
import io.steward.console.startup.ConsoleSettings;
import io.steward.console.startup.LaunchOptions;
import io.steward.console.startup.SettingsStore;
import io.steward.console.testsupport.FolderFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;

/**
 * Not a test: opens the real console on a running server, signs in, shows the Metrics screen on
 * a window ({@code 5m}, {@code 1h} or {@code 24h}), or the dashboard as the baseline, and leaves it live for a while, so that
 * JavaFX's pulse logger ({@code -Djavafx.pulseLogger=true}) reports what each pulse costs. Run it
 * once per window in the same session and compare (docs/benchmarks.md).
 *
 * <p>Arguments: server URL, e-mail, password, window, seconds to watch.
 */
public final class MetricsPulseBenchmark {
    private MetricsPulseBenchmark() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String email = args[1];
        String password = args[2];
        String window = args[3];
        int seconds = Integer.parseInt(args[4]);
        Path config = Files.createTempDirectory("steward-pulse-");
        boolean dashboard = window.equals("dashboard");
        new SettingsStore(config)
                .save(ConsoleSettings.defaults().withWindow(null, dashboard ? "dashboard" : "metrics"));

        Platform.startup(() -> {});
        var model = new AtomicReference<MainWindowViewModel>();
        var stage = new AtomicReference<Stage>();
        Platform.runLater(() -> {
            stage.set(new Stage());
            model.set(ConsoleApp.open(
                    stage.get(),
                    LaunchOptions.parse(List.of("--server", url)),
                    new SettingsStore(config),
                    new SettingsStore(config).load(),
                    (dataDir, demo) -> {
                        throw new IllegalStateException("no bundled server here");
                    },
                    new FolderFiles(config),
                    Clock.systemDefaultZone()));
        });
        awaitOnFx(
                () -> model.get() != null && model.get().pageProperty().get() == MainWindowViewModel.Page.SIGN_IN, 60);
        Platform.runLater(() -> {
            model.get().emailProperty().set(email);
            model.get().passwordProperty().set(password);
            model.get().signIn();
        });
        Scene scene;
        if (dashboard) {
            awaitOnFx(() -> stage.get().getScene().lookup("#tile-requests") != null, 60);
            scene = stage.get().getScene();
            awaitOnFx(
                    () -> scene.lookup("#updated") instanceof javafx.scene.control.Label updated
                            && !updated.getText().isEmpty(),
                    60);
        } else {
            awaitOnFx(() -> stage.get().getScene().lookup("#" + toggleId(window)) != null, 60);
            Platform.runLater(() -> ((ToggleButton) stage.get().getScene().lookup("#" + toggleId(window))).fire());
            scene = stage.get().getScene();
            // wait until the window's history is on screen, then watch
            String shown = window.equals("5m") ? "5 minutes" : window.equals("1h") ? "hour" : "24 hours";
            awaitOnFx(
                    () -> scene.lookup("#status") instanceof javafx.scene.control.Label status
                            && status.getText().contains(shown)
                            && scene.getRoot().lookupAll(".chart").stream()
                                    .anyMatch(chart -> chart instanceof javafx.scene.chart.XYChart<?, ?> xy
                                            && xy.getData().stream()
                                                    .anyMatch(series ->
                                                            series.getData().size() > 10)),
                    60);
        }
        System.out.println(
                "BENCHMARK watching window " + window + " for " + seconds + " s, drawn points: " + drawnPoints(scene));
        Thread.sleep(seconds * 1000L); // the measurement itself: the pulse logger reports meanwhile
        System.out.println("BENCHMARK done, drawn points: " + drawnPoints(scene));
        Platform.runLater(() -> {
            stage.get().hide();
            model.get().close();
            Platform.exit();
        });
        System.exit(0);
    }

    private static String toggleId(String window) {
        return switch (window) {
            case "5m" -> "fiveMinutes";
            case "1h" -> "hour";
            case "24h" -> "day";
            default -> throw new IllegalArgumentException("window is 5m, 1h or 24h");
        };
    }

    private static int drawnPoints(Scene scene) throws Exception {
        var count = new AtomicReference<Integer>(0);
        var done = new CountDownLatch(1);
        Platform.runLater(() -> {
            count.set(scene.getRoot().lookupAll(".chart-series-line").size());
            int points = 0;
            for (var node : scene.getRoot().lookupAll(".chart")) {
                if (node instanceof javafx.scene.chart.XYChart<?, ?> chart) {
                    for (var series : chart.getData()) {
                        points += series.getData().size();
                    }
                }
            }
            count.set(points);
            done.countDown();
        });
        done.await(10, TimeUnit.SECONDS);
        return count.get();
    }

    private static void awaitOnFx(java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            var result = new AtomicReference<Boolean>(false);
            var done = new CountDownLatch(1);
            Platform.runLater(() -> {
                result.set(condition.getAsBoolean());
                done.countDown();
            });
            done.await(5, TimeUnit.SECONDS);
            if (result.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("condition not met within " + seconds + " s");
    }
}
