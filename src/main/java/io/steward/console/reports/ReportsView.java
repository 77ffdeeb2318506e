package io.steward.console.reports;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.Dates;
import io.steward.console.ui.FileDialogs;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The Compliance reports screen's controller. */
public final class ReportsView {
    private final ReportsViewModel viewModel;
    private final FileDialogs files;

    @FXML
    private ChoiceBox<ReportsViewModel.Type> type;

    @FXML
    private ChoiceBox<ReportsViewModel.Preset> preset;

    @FXML
    private DatePicker from;

    @FXML
    private DatePicker to;

    @FXML
    private Button preview;

    @FXML
    private Button savePdf;

    @FXML
    private Button saveCsv;

    @FXML
    private Button saveJson;

    @FXML
    private Button savePack;

    @FXML
    private ProgressIndicator spinner;

    @FXML
    private Button cancel;

    @FXML
    private Button showFolder;

    @FXML
    private Label progress;

    @FXML
    private Label saved;

    @FXML
    private Label problem;

    @FXML
    private Label heading;

    @FXML
    private Label coverage;

    @FXML
    private Label signature;

    @FXML
    private TableView<ReportsViewModel.Line> reportTable;

    @FXML
    private TableColumn<ReportsViewModel.Line, String> section;

    @FXML
    private TableColumn<ReportsViewModel.Line, String> figure;

    @FXML
    private TableColumn<ReportsViewModel.Line, String> value;

    @FXML
    private TableColumn<ReportsViewModel.Line, String> evidence;

    public ReportsView(ReportsViewModel viewModel, FileDialogs files) {
        this.viewModel = viewModel;
        this.files = files;
    }

    @FXML
    private void initialize() {
        Dates.dayPicker(from);
        Dates.dayPicker(to);
        type.getItems().setAll(ReportsViewModel.Type.values());
        type.valueProperty().bindBidirectional(viewModel.typeProperty());
        preset.getItems().setAll(ReportsViewModel.Preset.values());
        preset.valueProperty().bindBidirectional(viewModel.presetProperty());
        from.valueProperty().bindBidirectional(viewModel.fromProperty());
        to.valueProperty().bindBidirectional(viewModel.toProperty());
        var custom = viewModel.presetProperty().isEqualTo(ReportsViewModel.Preset.CUSTOM);
        from.disableProperty().bind(custom.not());
        to.disableProperty().bind(custom.not());
        for (Button button : new Button[] {preview, savePdf, saveCsv, saveJson, savePack}) {
            button.disableProperty().bind(viewModel.busyProperty());
        }
        spinner.visibleProperty().bind(viewModel.busyProperty());
        cancel.visibleProperty().bind(viewModel.busyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        showFolder.visibleProperty().bind(viewModel.savedFileProperty().isNotNull());
        showFolder.managedProperty().bind(showFolder.visibleProperty());
        progress.textProperty().bind(viewModel.progressProperty());
        shownWhenSet(saved, viewModel.savedProperty());
        shownWhenSet(problem, viewModel.problemProperty());
        shownWhenSet(heading, viewModel.headingProperty());
        shownWhenSet(coverage, viewModel.coverageProperty());
        viewModel.coverageGapProperty().subscribe(gap -> {
            coverage.getStyleClass().removeAll("coverage-gap");
            if (gap) {
                coverage.getStyleClass().add("coverage-gap");
            }
        });
        signature.textProperty().bind(viewModel.signatureProperty());
        reportTable.setItems(viewModel.lines());
        text(section, ReportsViewModel.Line::section);
        text(figure, ReportsViewModel.Line::figure);
        text(value, ReportsViewModel.Line::value);
        text(evidence, ReportsViewModel.Line::evidence);
    }

    @FXML
    private void onPreview() {
        viewModel.preview();
    }

    @FXML
    private void onCancel() {
        viewModel.cancel();
    }

    @FXML
    private void onShowFolder() {
        var file = viewModel.savedFileProperty().get();
        if (file != null) {
            files.showFolder(file);
        }
    }

    @FXML
    private void onSavePdf() {
        save("pdf", "PDF documents");
    }

    @FXML
    private void onSaveCsv() {
        save("csv", "CSV files");
    }

    @FXML
    private void onSaveJson() {
        save("json", "JSON files");
    }

    @FXML
    private void onSavePack() {
        files.saveAs(
                        reportTable.getScene().getWindow(),
                        "Save the evidence pack",
                        viewModel.suggestedPackName(),
                        "Zip archives")
                .ifPresent(viewModel::saveEvidencePack);
    }

    private void save(String format, String description) {
        files.saveAs(
                        reportTable.getScene().getWindow(),
                        "Save the report as " + format.toUpperCase(Locale.ROOT),
                        viewModel.suggestedName(format),
                        description)
                .ifPresent(file -> viewModel.save(format, file));
    }
}
