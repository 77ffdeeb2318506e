package io.steward.console.flags;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.server.api.FlagView;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The Feature flags screen's controller. */
public final class FlagsView {
    private final FlagsViewModel viewModel;

    @FXML
    private Label problem;

    @FXML
    private TableView<FlagView> flagTable;

    @FXML
    private TableColumn<FlagView, String> key;

    @FXML
    private TableColumn<FlagView, String> state;

    @FXML
    private TableColumn<FlagView, String> description;

    @FXML
    private Label selectedKey;

    @FXML
    private VBox editor;

    @FXML
    private CheckBox enabled;

    @FXML
    private Slider percentage;

    @FXML
    private Label percentageText;

    @FXML
    private Label impact;

    @FXML
    private Label saved;

    @FXML
    private TextField userId;

    @FXML
    private Label answer;

    @FXML
    private Label historyTitle;

    @FXML
    private ListView<String> history;

    public FlagsView(FlagsViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        shownWhenSet(problem, viewModel.problemProperty());
        shownWhenSet(saved, viewModel.savedProperty());
        impact.textProperty().bind(viewModel.impactProperty());
        answer.textProperty().bind(viewModel.answerProperty());
        flagTable.setItems(viewModel.flags());
        text(key, FlagView::key);
        text(state, FlagsView::state);
        text(description, FlagView::description);
        flagTable.getSelectionModel().selectedItemProperty().subscribe(viewModel.selectedProperty()::set);
        viewModel.selectedProperty().subscribe(flag -> {
            selectedKey.setText(flag == null ? "Select a flag" : flag.key());
            if (flag != null && flagTable.getSelectionModel().getSelectedItem() != flag) {
                flagTable.getSelectionModel().select(flag);
            }
        });
        editor.visibleProperty()
                .bind(viewModel
                        .canEditProperty()
                        .and(viewModel.selectedProperty().isNotNull()));
        editor.managedProperty().bind(editor.visibleProperty());
        enabled.selectedProperty().bindBidirectional(viewModel.enabledProperty());
        percentage.valueProperty().bindBidirectional(viewModel.percentageProperty());
        percentageText.textProperty().bind(viewModel.percentageProperty().asString("%d %%"));
        // what the new percentage would do, once the slider comes to rest
        percentage.valueChangingProperty().subscribe(changing -> {
            if (!changing) {
                viewModel.previewImpact();
            }
        });
        percentage.setOnKeyReleased(event -> viewModel.previewImpact());
        percentage.setOnMouseReleased(event -> viewModel.previewImpact());
        userId.textProperty().bindBidirectional(viewModel.userIdProperty());
        history.setItems(viewModel.history());
        history.setPlaceholder(new Label("No changes recorded."));
    }

    static String state(FlagView flag) {
        return flag.enabled() ? "on, " + flag.percentage() + " %" : "off (kill switch)";
    }

    @FXML
    private void onRefresh() {
        viewModel.refresh();
    }

    @FXML
    private void onSave() {
        viewModel.save();
    }

    @FXML
    private void onWho() {
        viewModel.whoGetsIt();
    }
}
