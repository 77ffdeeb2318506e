package io.steward.console.metrics;

import io.steward.console.client.ApiException;
import io.steward.console.session.LiveFeed;
import io.steward.console.session.Session;
import io.steward.console.ui.Text;
import io.steward.server.api.SeriesPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Metrics screen's data: for each chart line, its points over the chosen window — history
 * from the server's store, then one point a second from the live stream (the day window, one
 * point a minute, is fetched again each minute). Pausing freezes what is shown; resuming fetches
 * what was missed. Holds no JavaFX nodes.
 */
public final class MetricsViewModel {
    /** The windows the server keeps. */
    public enum Window {
        FIVE_MINUTES("5m", 300, 60, "the last 5 minutes, one point a second"),
        HOUR("1h", 3_600, 600, "the last hour, one point a second"),
        DAY("24h", 86_400, 10_800, "the last 24 hours, one point a minute (the mean)");

        final String query;
        final long seconds;
        final long tick;
        final String description;

        Window(String query, long seconds, long tick, String description) {
            this.query = query;
            this.seconds = seconds;
            this.tick = tick;
            this.description = description;
        }

        /** How long the window is, in seconds. */
        public long seconds() {
            return seconds;
        }

        /** Seconds between the time axis' labels. */
        public long tick() {
            return tick;
        }
    }

    /** One line of a chart: a server series, its label, and a factor (a ratio shown as percent). */
    public record Line(String series, String label, double scale) {}

    /** One chart. */
    public record Chart(String id, String title, String unit, List<Line> lines) {}

    /** The charts, in screen order. */
    public static final List<Chart> CHARTS = List.of(
            new Chart(
                    "requests", "Requests per second", "req/s", List.of(new Line("http.requests.rate", "requests", 1))),
            new Chart(
                    "latency",
                    "Latency",
                    "ms",
                    List.of(
                            new Line("http.latency.p50", "p50", 1),
                            new Line("http.latency.p95", "p95", 1),
                            new Line("http.latency.p99", "p99", 1))),
            new Chart("errors", "Server errors (5 min)", "%", List.of(new Line("http.errors.ratio", "5xx share", 100))),
            new Chart(
                    "pool",
                    "Database pool",
                    "connections",
                    List.of(new Line("db.pool.active", "in use", 1), new Line("db.pool.pending", "waiting", 1))),
            new Chart("heap", "Memory (heap)", "%", List.of(new Line("jvm.heap.used.percent", "heap used", 1))),
            new Chart(
                    "cpu",
                    "CPU",
                    "%",
                    List.of(new Line("process.cpu", "server", 1), new Line("system.cpu", "machine", 1))));

    private final Session session;
    private final Map<String, List<Point>> points = new HashMap<>();
    private final ObjectProperty<Window> window = new SimpleObjectProperty<>(Window.FIVE_MINUTES);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final IntegerProperty revision = new SimpleIntegerProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private int loads;
    private long secondsSinceLoad;

    public MetricsViewModel(Session session) {
        this.session = session;
        for (Chart chart : CHARTS) {
            chart.lines().forEach(line -> points.put(line.series(), new ArrayList<>()));
        }
    }

    /** Loads the history and follows the live stream. */
    public void start() {
        window.subscribe(chosen -> load());
        paused.subscribe((was, now) -> {
            if (!now) {
                load();
            }
            describe();
        });
        session.feed().onSample(this::append);
    }

    /** Fetches every line's history for the window from the server's store. */
    public void load() {
        Window current = window.get();
        int load = ++loads;
        session.executor()
                .run(
                        () -> {
                            var fetched = new LinkedHashMap<String, List<Point>>();
                            for (String series : points.keySet()) {
                                SeriesPoints answer = session.api().metrics().series(series, current.query);
                                fetched.put(
                                        series,
                                        answer.points().stream()
                                                .map(p -> new Point(p.at().getEpochSecond(), p.value()))
                                                .toList());
                            }
                            return fetched;
                        },
                        fetched -> {
                            if (load != loads) {
                                return; // a newer window was chosen meanwhile
                            }
                            fetched.forEach((series, list) -> points.put(series, new ArrayList<>(list)));
                            secondsSinceLoad = 0;
                            problem.set("");
                            describe();
                            revision.set(revision.get() + 1);
                        },
                        failure -> problem.set(
                                failure instanceof ApiException api
                                        ? "The server could not send its metrics: " + api.getMessage()
                                        : Text.problem(failure)));
    }

    void append(LiveFeed.Sample sample) {
        if (paused.get()) {
            return;
        }
        if (window.get() == Window.DAY) {
            if (++secondsSinceLoad >= 60) {
                load();
            }
            return;
        }
        long at = sample.at().getEpochSecond();
        long oldest = at - window.get().seconds;
        points.forEach((series, list) -> {
            double value = sample.value(series);
            if (!Double.isNaN(value) && (list.isEmpty() || list.getLast().at() < at)) {
                list.add(new Point(at, value));
            }
            int drop = 0;
            while (drop < list.size() && list.get(drop).at() <= oldest) {
                drop++;
            }
            if (drop > 0) {
                list.subList(0, drop).clear();
            }
        });
        revision.set(revision.get() + 1);
    }

    private void describe() {
        status.set("Showing " + window.get().description + (paused.get() ? " · paused" : ""));
    }

    /** The newest second with data (epoch seconds), or 0 before any arrived. */
    public long newest() {
        return points.values().stream()
                .filter(list -> !list.isEmpty())
                .mapToLong(list -> list.getLast().at())
                .max()
                .orElse(0);
    }

    /** The points of a line, scaled for display, oldest first. */
    public List<Point> points(Line line) {
        List<Point> raw = points.getOrDefault(line.series(), List.of());
        if (line.scale() == 1) {
            return List.copyOf(raw);
        }
        return raw.stream()
                .map(p -> new Point(p.at(), p.value() * line.scale()))
                .toList();
    }

    /** What is shown, as CSV: one row per second, one column per line, in UTC. */
    public String csv() {
        var rows = new TreeMap<Long, Map<String, Double>>();
        var columns = new ArrayList<String>();
        for (Chart chart : CHARTS) {
            for (Line line : chart.lines()) {
                String column = line.series() + (line.scale() == 100 ? " (%)" : "");
                columns.add(column);
                for (Point p : points(line)) {
                    rows.computeIfAbsent(p.at(), at -> new HashMap<>()).put(column, p.value());
                }
            }
        }
        var out = new StringBuilder("time");
        columns.forEach(column -> out.append(',').append(column));
        out.append('\n');
        rows.forEach((at, values) -> {
            out.append(Instant.ofEpochSecond(at));
            for (String column : columns) {
                Double value = values.get(column);
                out.append(',').append(value == null ? "" : String.format(Locale.ROOT, "%.6g", value));
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** Writes {@code bytes} to {@code file} off the UI thread, then says so. */
    public void save(Path file, byte[] bytes, Consumer<String> done) {
        session.executor()
                .run(
                        () -> {
                            try {
                                Files.write(file, bytes);
                                return file;
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        written -> done.accept("Saved " + written.getFileName() + " in " + written.getParent() + "."),
                        failure -> problem.set("Could not save " + file + ": " + failure.getMessage()));
    }

    public ObjectProperty<Window> windowProperty() {
        return window;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    /** Goes up by one whenever the points change. */
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty problemProperty() {
        return problem;
    }
}
