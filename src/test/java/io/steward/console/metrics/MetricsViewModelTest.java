package io.steward.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.console.client.ApiException;
import io.steward.console.testsupport.FakeSession;
import io.steward.console.testsupport.Views;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Role;
import io.steward.server.api.SeriesPoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Metrics screen's view model on its own: a fake server, everything on the test's thread. */
class MetricsViewModelTest {
    static final long T = Views.NOW.getEpochSecond();
    static final MetricsViewModel.Line REQUESTS = line("requests", "http.requests.rate");
    static final MetricsViewModel.Line ERRORS = line("errors", "http.errors.ratio");
    static final MetricsViewModel.Line P50 = line("latency", "http.latency.p50");
    /** Every line of every chart: one history call each. */
    static final int LINES =
            MetricsViewModel.CHARTS.stream().mapToInt(c -> c.lines().size()).sum();

    final FakeSession fake = new FakeSession(Role.SUPPORT);

    static MetricsViewModel.Line line(String chart, String series) {
        return MetricsViewModel.CHARTS.stream()
                .filter(c -> c.id().equals(chart))
                .flatMap(c -> c.lines().stream())
                .filter(l -> l.series().equals(series))
                .findFirst()
                .orElseThrow();
    }

    /** Each series' history: 1 at the window's first second kept, 2 a second before {@link Views#NOW}. */
    MetricsViewModel open() {
        fake.server.answer(Endpoint.METRIC_SERIES, call -> {
            String name = call.queryParameters().get("name");
            return new SeriesPoints(
                    name,
                    "",
                    call.queryParameters().get("window"),
                    1,
                    List.of(
                            new SeriesPoints.Point(Views.NOW.minusSeconds(299), 1),
                            new SeriesPoints.Point(Views.NOW.minusSeconds(1), 2)));
        });
        var model = new MetricsViewModel(fake.session);
        model.start();
        return model;
    }

    static List<Point> at(long... secondsAndValues) {
        var points = new ArrayList<Point>();
        for (int i = 0; i < secondsAndValues.length; i += 2) {
            points.add(new Point(T + secondsAndValues[i], secondsAndValues[i + 1]));
        }
        return points;
    }

    @Test
    void openingFetchesEachLinesHistoryForTheWindowOnce() {
        var model = open();
        var calls = fake.server.calls(Endpoint.METRIC_SERIES);
        assertThat(calls).hasSize(LINES).hasSameSizeAs(fake.server.calls());
        assertThat(calls)
                .extracting(c -> c.queryParameters().get("name"))
                .doesNotHaveDuplicates()
                .contains("http.requests.rate", "http.latency.p99", "system.cpu");
        assertThat(calls).allSatisfy(c -> assertThat(c.queryParameters()).containsEntry("window", "5m"));
        assertThat(model.points(REQUESTS)).isEqualTo(at(-299, 1, -1, 2));
        assertThat(model.statusProperty().get()).isEqualTo("Showing the last 5 minutes, one point a second");
    }

    @Test
    void choosingAWindowFetchesItsHistory() {
        var model = open();
        fake.server.forget();
        model.windowProperty().set(MetricsViewModel.Window.HOUR);
        assertThat(fake.server.calls(Endpoint.METRIC_SERIES))
                .hasSize(LINES)
                .allSatisfy(c -> assertThat(c.queryParameters()).containsEntry("window", "1h"));
        assertThat(model.statusProperty().get()).isEqualTo("Showing the last hour, one point a second");
    }

    @Test
    void eachLiveSecondIsAppendedAndWhatLeavesTheWindowIsDropped() {
        var model = open();
        int before = model.revisionProperty().get();
        fake.second(Views.NOW.plusSeconds(1), Map.of("http.requests.rate", 5, "http.errors.ratio", 0.02));

        assertThat(model.points(REQUESTS)).isEqualTo(at(-1, 2, 1, 5));
        assertThat(model.points(ERRORS)).as("a ratio is shown as percent").isEqualTo(at(-1, 200, 1, 2));
        assertThat(model.points(P50))
                .as("a series the second did not carry gets no point")
                .isEqualTo(at(-1, 2));
        assertThat(model.newest()).isEqualTo(T + 1);
        assertThat(model.revisionProperty().get()).isEqualTo(before + 1);
        assertThat(model.csv())
                .startsWith("time,http.requests.rate,http.latency.p50,")
                .contains("\n2026-11-20T10:00:01Z,5.00000,,,,2.00000,")
                .doesNotContain("09:55:01Z");
        assertThat(fake.server.calls()).as("the live stream needs no call").hasSize(LINES);
    }

    @Test
    void pausingFreezesWhatIsShownAndResumingFetchesWhatWasMissed() {
        var model = open();
        model.pausedProperty().set(true);
        assertThat(model.statusProperty().get()).isEqualTo("Showing the last 5 minutes, one point a second · paused");
        fake.second(Views.NOW.plusSeconds(1), Map.of("http.requests.rate", 5));
        assertThat(model.points(REQUESTS)).isEqualTo(at(-299, 1, -1, 2));

        fake.server.forget();
        model.pausedProperty().set(false);
        assertThat(fake.server.calls(Endpoint.METRIC_SERIES)).hasSize(LINES);
        assertThat(model.statusProperty().get()).isEqualTo("Showing the last 5 minutes, one point a second");
    }

    @Test
    void theDayWindowIsFetchedAgainEachMinuteRatherThanFollowedEachSecond() {
        var model = open();
        model.windowProperty().set(MetricsViewModel.Window.DAY);
        fake.server.forget();
        Instant at = Views.NOW;
        for (int s = 1; s < 60; s++) {
            fake.second(at.plusSeconds(s), Map.of("http.requests.rate", 5));
        }
        assertThat(fake.server.calls()).isEmpty();
        assertThat(model.points(REQUESTS)).isEqualTo(at(-299, 1, -1, 2));
        fake.second(at.plusSeconds(60), Map.of("http.requests.rate", 5));
        assertThat(fake.server.calls(Endpoint.METRIC_SERIES))
                .hasSize(LINES)
                .allSatisfy(c -> assertThat(c.queryParameters()).containsEntry("window", "24h"));
    }

    @Test
    void whatTheServerRefusesIsShownInItsWords() {
        fake.server.fail(
                Endpoint.METRIC_SERIES,
                new ApiException(503, "UNAVAILABLE", "metrics store unavailable", null, "req-2", null));
        var model = new MetricsViewModel(fake.session);
        model.start();
        assertThat(model.problemProperty().get())
                .isEqualTo("The server could not send its metrics: metrics store unavailable (request req-2)");
        assertThat(model.points(REQUESTS)).isEmpty();
    }

    @Test
    void savingWritesTheFileAndSaysWhere(@TempDir Path folder) throws Exception {
        var model = open();
        var said = new ArrayList<String>();
        Path file = folder.resolve("metrics.csv");
        model.save(file, model.csv().getBytes(StandardCharsets.UTF_8), said::add);
        assertThat(said).containsExactly("Saved metrics.csv in " + folder + ".");
        assertThat(Files.readString(file)).isEqualTo(model.csv());

        model.save(folder.resolve("missing").resolve("x.csv"), new byte[0], said::add);
        assertThat(said).hasSize(1);
        assertThat(model.problemProperty().get()).startsWith("Could not save " + folder.resolve("missing"));
    }
}
