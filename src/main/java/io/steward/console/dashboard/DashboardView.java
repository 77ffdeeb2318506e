package io.steward.console.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.steward.console.dashboard.DashboardViewModel.CheckState;
import io.steward.console.dashboard.DashboardViewModel.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.paint.Color;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's controller: builds the TilesFX tiles and binds them to {@link DashboardViewModel}.
 * Status tiles carry a symbol and a word as well as a colour, so they read without colour vision.
 */
public final class DashboardView {
    private static final double WIDTH = 176;
    private static final double HEIGHT = 150;
    private static final Color GOOD = Color.web("#15803d");
    private static final Color WARN = Color.web("#b45309");
    private static final Color BAD = Color.web("#b91c1c");
    private static final Color UNKNOWN = Color.web("#64748b");

    private static final Logger LOG = LoggerFactory.getLogger(DashboardView.class);
    private boolean startReported;

    private final DashboardViewModel viewModel;
    private final ObservableBooleanValue dark;
    private final List<Tile> plainTiles = new ArrayList<>();
    private final List<Tile> checkTiles = new ArrayList<>();
    /** The overall status tile, painted by its status rather than by the theme; made in initialize(). */
    private @Nullable Tile overallTile;

    @FXML
    private Label updated;

    @FXML
    private Label problem;

    @FXML
    private Button refresh;

    @FXML
    private FlowPane healthTiles;

    @FXML
    private FlowPane trafficTiles;

    @FXML
    private FlowPane glanceTiles;

    public DashboardView(DashboardViewModel viewModel, ObservableBooleanValue dark) {
        this.viewModel = viewModel;
        this.dark = dark;
    }

    @FXML
    private void initialize() {
        updated.textProperty().bind(viewModel.updatedProperty());
        problem.textProperty().bind(viewModel.problemProperty());
        problem.visibleProperty().bind(viewModel.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        Tile overall = textTile("tile-overall", "Server");
        overallTile = overall;
        overall.setTooltipText(
                "Up: everything works. Degraded: something Steward can live without fails. Down: its database is not usable.");
        viewModel.overallProperty().subscribe(status -> {
            overall.setDescription(status.label().toUpperCase(Locale.ROOT));
            overall.setBackgroundColor(colour(status));
            overall.setTitleColor(Color.WHITE);
            overall.setDescriptionColor(Color.WHITE);
            overall.setTextColor(Color.WHITE);
        });
        viewModel.overallTextProperty().subscribe(overall::setText);
        viewModel.checks().subscribe(this::rebuildChecks);
        rebuildChecks();

        trafficTiles
                .getChildren()
                .setAll(
                        sparkLine("tile-requests", "Requests", "per s", 1, viewModel.requestRateProperty()),
                        sparkLine("tile-errors", "Server errors (5 min)", "%", 2, viewModel.errorPercentProperty()),
                        sparkLine("tile-latency", "Latency p95", "ms", 1, viewModel.latencyP95Property()));

        Tile pool = percentage("tile-pool", "Database pool", viewModel.poolPercentProperty());
        viewModel.poolTextProperty().subscribe(pool::setDescription);
        Tile heap = percentage("tile-heap", "Memory (heap)", viewModel.heapPercentProperty());
        heap.setDescription("of the maximum heap");
        Tile alerts = number("tile-alerts", "Alerts firing", viewModel.alertsFiringProperty());
        viewModel
                .alertsFiringProperty()
                .subscribe(value -> colourCount(
                        alerts, value.doubleValue(), value.doubleValue() > 0 ? "✖ needs attention" : "✔ none firing"));
        opens(alerts, "alerts");
        Tile gdpr = number("tile-gdpr", "GDPR requests open", viewModel.gdprOpenProperty());
        opens(gdpr, "gdpr");
        viewModel
                .gdprOverdueProperty()
                .subscribe(value -> colourCount(
                        gdpr,
                        value.doubleValue(),
                        Double.isNaN(value.doubleValue())
                                ? ""
                                : value.doubleValue() > 0
                                        ? String.format(Locale.ROOT, "✖ %.0f overdue", value.doubleValue())
                                        : "✔ none overdue"));
        Tile uptime = textTile("tile-uptime", "Uptime");
        viewModel.uptimeProperty().subscribe(uptime::setDescription);
        uptime.setText("since the server started");
        trafficTiles
                .getChildren()
                .setAll(
                        sparkLine("tile-requests", "Requests per second", "", 1, viewModel.requestRateProperty()),
                        sparkLine("tile-errors", "Server errors, 5 min", "%", 2, viewModel.errorPercentProperty()),
                        sparkLine("tile-latency", "Latency p95", "ms", 1, viewModel.latencyP95Property()),
                        pool,
                        heap);
        glanceTiles.getChildren().setAll(overall, alerts, gdpr, uptime);
        dark.subscribe(this::applyTheme);
        reportFirstLiveFrame();
    }

    /**
     * Logs, once per console, how long after the process started the dashboard first showed live
     * figures: the start-up time people feel (docs/benchmarks.md uses this line).
     */
    private void reportFirstLiveFrame() {
        viewModel.updatedProperty().subscribe((old, now) -> {
            if (!now.isEmpty() && !startReported && updated.getScene() != null) {
                startReported = true;
                // the scene it was added to: by the next pulse the dashboard may have left it
                // (the session ended), but the listener must still come off that scene
                var scene = updated.getScene();
                Runnable[] once = new Runnable[1];
                once[0] = () -> {
                    scene.removePostLayoutPulseListener(once[0]);
                    ProcessHandle.current()
                            .info()
                            .startInstant()
                            .ifPresent(start -> LOG.info(
                                    "first live dashboard laid out {} ms after the console started",
                                    Duration.between(start, Instant.now()).toMillis()));
                };
                scene.addPostLayoutPulseListener(once[0]);
            }
        });
    }

    private void rebuildChecks() {
        List<CheckState> states = viewModel.checks();
        if (checkTiles.size() != states.size()
                || !checkTiles.stream()
                        .map(Tile::getTitle)
                        .toList()
                        .equals(states.stream().map(CheckState::name).toList())) {
            plainTiles.removeAll(checkTiles);
            checkTiles.clear();
            for (CheckState state : states) {
                checkTiles.add(textTile("tile-check-" + state.name(), state.name()));
            }
            healthTiles.getChildren().setAll(checkTiles);
        }
        for (int i = 0; i < states.size(); i++) {
            CheckState state = states.get(i);
            Tile tile = checkTiles.get(i);
            tile.setDescription(state.status().label());
            tile.setText(state.latencyMs() + " ms" + (state.essential() ? " · essential" : ""));
            tile.setBackgroundColor(state.status() == Status.UP ? background() : colour(state.status()));
            Color ink = state.status() == Status.UP ? ink() : Color.WHITE;
            tile.setTitleColor(ink);
            tile.setTextColor(ink);
            tile.setDescriptionColor(state.status() == Status.UP ? GOOD.brighter() : Color.WHITE);
        }
    }

    private static Color colour(Status status) {
        return switch (status) {
            case UP -> GOOD;
            case DEGRADED -> WARN;
            case DOWN -> BAD;
            case UNKNOWN -> UNKNOWN;
        };
    }

    private Tile textTile(String id, String title) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.TEXT)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .description("—")
                .descriptionAlignment(Pos.CENTER)
                .textVisible(true)
                .build();
        return register(id, tile);
    }

    private Tile sparkLine(String id, String title, String unit, int decimals, DoubleProperty value) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.SPARK_LINE)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .unit(unit)
                .decimals(decimals)
                .averagingPeriod(60)
                .smoothing(false)
                .minValue(0)
                .maxValue(1)
                .build();
        value.subscribe(number -> {
            double v = number.doubleValue();
            if (!Double.isNaN(v)) {
                // a tile clamps values to its range, and draws a flat line against it: keep the range above the data
                if (v > tile.getMaxValue()) {
                    tile.setMaxValue(niceCeiling(v));
                }
                tile.setValue(v);
            }
        });
        return register(id, tile);
    }

    private Tile percentage(String id, String title, DoubleProperty value) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.PERCENTAGE)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .unit("%")
                .maxValue(100)
                .decimals(0)
                .build();
        value.subscribe(number -> {
            if (!Double.isNaN(number.doubleValue())) {
                tile.setValue(number.doubleValue());
            }
        });
        return register(id, tile);
    }

    private Tile number(String id, String title, DoubleProperty value) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .prefSize(WIDTH, HEIGHT)
                .title(title)
                .decimals(0)
                .maxValue(Integer.MAX_VALUE)
                .textVisible(true)
                .build();
        value.subscribe(number -> {
            if (!Double.isNaN(number.doubleValue())) {
                tile.setValue(number.doubleValue());
            }
        });
        return register(id, tile);
    }

    /** The next of 1, 2, 5, 10, 20, 50, … at or above {@code value}. */
    static double niceCeiling(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * decade >= value) {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    private void colourCount(Tile tile, double count, String text) {
        tile.setDescription(text);
        boolean attention = count > 0 && !Double.isNaN(count);
        tile.getProperties().put("attention", attention);
        paint(tile);
    }

    private Tile register(String id, Tile tile) {
        tile.setId(id);
        tile.getStyleClass().add("live-value");
        plainTiles.add(tile);
        paint(tile);
        return tile;
    }

    private void applyTheme(boolean isDark) {
        plainTiles.forEach(this::paint);
        rebuildChecks();
    }

    private void paint(Tile tile) {
        if (tile == overallTile) {
            return;
        }
        boolean attention = Boolean.TRUE.equals(tile.getProperties().get("attention"));
        Color ink = attention ? Color.WHITE : ink();
        tile.setBackgroundColor(attention ? BAD : background());
        tile.setTitleColor(ink);
        tile.setValueColor(ink);
        tile.setUnitColor(attention ? Color.WHITE : muted());
        tile.setDescriptionColor(attention ? Color.WHITE : muted());
        tile.setTextColor(attention ? Color.WHITE : muted());
        tile.setForegroundColor(ink);
        tile.setBarColor(Color.web("#2563eb"));
    }

    private Color background() {
        return dark.get() ? Color.web("#1e293b") : Color.WHITE;
    }

    private Color ink() {
        return dark.get() ? Color.web("#e2e8f0") : Color.web("#0f172a");
    }

    private Color muted() {
        return dark.get() ? Color.web("#94a3b8") : Color.web("#475569");
    }

    @FXML
    private void onRefresh() {
        viewModel.refresh();
    }

    /** A click on the tile opens the screen behind it. */
    private void opens(Tile tile, String screen) {
        tile.setCursor(javafx.scene.Cursor.HAND);
        tile.setOnMouseClicked(event -> viewModel.open(screen));
        javafx.scene.control.Tooltip.install(tile, new javafx.scene.control.Tooltip("Click to open"));
    }
}
