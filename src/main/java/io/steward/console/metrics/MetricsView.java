package io.steward.console.metrics;

import io.steward.console.metrics.MetricsViewModel.Chart;
import io.steward.console.metrics.MetricsViewModel.Line;
import io.steward.console.ui.Dates;
import io.steward.console.ui.FileDialogs;
import io.steward.console.ui.Png;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.geometry.Side;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.util.Duration;
import javafx.util.StringConverter;

/**
 * The Metrics screen's controller: six line charts fed from {@link MetricsViewModel}. Long
 * windows are thinned for drawing ({@link Downsample}: at most two points per bucket, 300 buckets
 * per line); hovering a chart shows the values at that moment.
 */
public final class MetricsView {
    static final int BUCKETS = 300;
    private static final DateTimeFormatter SECONDS = Dates.CLOCK;
    private static final DateTimeFormatter MINUTES = Dates.TIME;

    private final MetricsViewModel viewModel;
    private final FileDialogs files;
    private final ZoneId zone;
    private final Map<Line, XYChart.Series<Number, Number>> lines = new HashMap<>();
    private final List<NumberAxis> axes = new ArrayList<>();

    @FXML
    private ToggleGroup windows;

    @FXML
    private ToggleButton fiveMinutes;

    @FXML
    private ToggleButton hour;

    @FXML
    private ToggleButton day;

    @FXML
    private ToggleButton pause;

    @FXML
    private Button exportCsv;

    @FXML
    private Button exportPng;

    @FXML
    private Label status;

    @FXML
    private Label saved;

    @FXML
    private Label problem;

    @FXML
    private GridPane charts;

    public MetricsView(MetricsViewModel viewModel, FileDialogs files, ZoneId zone) {
        this.viewModel = viewModel;
        this.files = files;
        this.zone = zone;
    }

    @FXML
    private void initialize() {
        fiveMinutes.setUserData(MetricsViewModel.Window.FIVE_MINUTES);
        hour.setUserData(MetricsViewModel.Window.HOUR);
        day.setUserData(MetricsViewModel.Window.DAY);
        windows.selectToggle(fiveMinutes);
        windows.selectedToggleProperty().subscribe((old, now) -> {
            if (now == null) {
                windows.selectToggle(old); // one window is always chosen
            } else {
                viewModel.windowProperty().set((MetricsViewModel.Window) now.getUserData());
            }
        });
        pause.selectedProperty().bindBidirectional(viewModel.pausedProperty());
        pause.textProperty().bind(viewModel.pausedProperty().map(paused -> paused ? "_Resume" : "_Pause"));
        status.textProperty().bind(viewModel.statusProperty());
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        for (int column = 0; column < 2; column++) {
            var constraint = new ColumnConstraints();
            constraint.setPercentWidth(50);
            charts.getColumnConstraints().add(constraint);
        }
        int index = 0;
        for (Chart chart : MetricsViewModel.CHARTS) {
            if (index % 2 == 0) {
                var row = new RowConstraints();
                row.setVgrow(Priority.ALWAYS);
                row.setMinHeight(160);
                charts.getRowConstraints().add(row);
            }
            charts.add(chart(chart), index % 2, index / 2);
            index++;
        }
        viewModel.revisionProperty().subscribe(revision -> redraw());
    }

    private LineChart<Number, Number> chart(Chart spec) {
        var x = new NumberAxis();
        x.setAutoRanging(false);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds.longValue()), zone);
                return (viewModel.windowProperty().get() == MetricsViewModel.Window.FIVE_MINUTES ? SECONDS : MINUTES)
                        .format(at);
            }

            @Override
            public Number fromString(String text) {
                return 0;
            }
        });
        var y = new NumberAxis();
        y.setLabel(spec.unit());
        y.setForceZeroInRange(true);
        y.setMinorTickVisible(false);
        var chart = new LineChart<>(x, y);
        chart.setId("chart-" + spec.id());
        chart.setTitle(spec.title());
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(spec.lines().size() > 1);
        chart.setLegendSide(Side.RIGHT);
        chart.getStyleClass().add("metric-chart");
        for (Line line : spec.lines()) {
            var series = new XYChart.Series<Number, Number>();
            series.setName(line.label());
            chart.getData().add(series);
            lines.put(line, series);
        }
        var tooltip = new Tooltip();
        tooltip.setShowDelay(Duration.millis(150));
        tooltip.setHideDelay(Duration.millis(100));
        Tooltip.install(chart, tooltip);
        chart.addEventHandler(MouseEvent.MOUSE_MOVED, event -> tooltip.setText(describeAt(spec, x, event)));
        axes.add(x);
        return chart;
    }

    /** The values of each line at the moment under the mouse. */
    private String describeAt(Chart spec, NumberAxis x, MouseEvent event) {
        double local = x.sceneToLocal(event.getSceneX(), event.getSceneY()).getX();
        long at = x.getValueForDisplay(local).longValue();
        var text = new StringBuilder();
        for (Line line : spec.lines()) {
            List<Point> points = viewModel.points(line);
            Point nearest = null;
            for (Point p : points) {
                if (nearest == null || Math.abs(p.at() - at) < Math.abs(nearest.at() - at)) {
                    nearest = p;
                }
            }
            if (nearest != null) {
                if (text.isEmpty()) {
                    text.append(SECONDS.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(nearest.at()), zone)));
                }
                text.append('\n')
                        .append(line.label())
                        .append(": ")
                        .append(String.format(Locale.ROOT, "%.2f", nearest.value()))
                        .append(' ')
                        .append(spec.unit());
            }
        }
        return text.isEmpty() ? "No data here yet" : text.toString();
    }

    private void redraw() {
        // the time axis always spans the whole window, ending at the newest second, so a chart
        // reads the same way however much data has arrived
        MetricsViewModel.Window window = viewModel.windowProperty().get();
        long newest = viewModel.newest();
        long upper = newest == 0 ? Instant.now().getEpochSecond() : newest;
        for (NumberAxis axis : axes) {
            axis.setLowerBound(upper - window.seconds());
            axis.setUpperBound(upper);
            axis.setTickUnit(window.tick());
        }
        lines.forEach((line, series) -> {
            List<Point> shown = Downsample.minMax(viewModel.points(line), BUCKETS);
            var data = new ArrayList<XYChart.Data<Number, Number>>(shown.size());
            for (Point p : shown) {
                data.add(new XYChart.Data<>(p.at(), p.value()));
            }
            series.getData().setAll(data);
        });
    }

    @FXML
    private void onExportCsv() {
        files.saveAs(charts.getScene().getWindow(), "Export the metrics shown", "steward-metrics.csv", "CSV files")
                .ifPresent(
                        file -> viewModel.save(file, viewModel.csv().getBytes(StandardCharsets.UTF_8), saved::setText));
    }

    @FXML
    private void onExportPng() {
        files.saveAs(charts.getScene().getWindow(), "Save the charts as an image", "steward-metrics.png", "PNG images")
                .ifPresent(file -> viewModel.save(file, Png.encode(charts.snapshot(null, null)), saved::setText));
    }
}
