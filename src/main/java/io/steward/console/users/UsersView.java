package io.steward.console.users;

import static io.steward.console.ui.Labels.shownWhenSet;
import static io.steward.console.ui.Tables.text;

import io.steward.console.ui.History;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprType;
import io.steward.server.api.Role;
import io.steward.server.api.UserView;
import java.time.ZoneId;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** The Users screen's controller. */
public final class UsersView {
    private final UsersViewModel viewModel;

    @FXML
    private Label summary;

    @FXML
    private TextField query;

    @FXML
    private ChoiceBox<UsersViewModel.RoleChoice> role;

    @FXML
    private ChoiceBox<UsersViewModel.StatusChoice> status;

    @FXML
    private Label problem;

    @FXML
    private TableView<UserView> userTable;

    @FXML
    private TableColumn<UserView, String> name;

    @FXML
    private TableColumn<UserView, String> email;

    @FXML
    private TableColumn<UserView, String> roleColumn;

    @FXML
    private TableColumn<UserView, String> state;

    @FXML
    private TableColumn<UserView, String> joined;

    @FXML
    private TextArea details;

    @FXML
    private VBox editor;

    @FXML
    private TextField editName;

    @FXML
    private Label nameError;

    @FXML
    private TextField editEmail;

    @FXML
    private Label emailError;

    @FXML
    private ChoiceBox<Role> editRole;

    @FXML
    private CheckBox editActive;

    @FXML
    private Label roleError;

    @FXML
    private Label saved;

    @FXML
    private ChoiceBox<String> requestType;

    @FXML
    private javafx.scene.control.TitledPane staffPane;

    @FXML
    private javafx.scene.control.TitledPane lockoutPane;

    @FXML
    private TableView<io.steward.server.api.SignInLockout> lockoutTable;

    @FXML
    private TableColumn<io.steward.server.api.SignInLockout, String> lockedEmail;

    @FXML
    private TableColumn<io.steward.server.api.SignInLockout, String> lockedIp;

    @FXML
    private TableColumn<io.steward.server.api.SignInLockout, String> lockedAt;

    @FXML
    private TableColumn<io.steward.server.api.SignInLockout, String> lockedUntil;

    @FXML
    private javafx.scene.control.Button unlock;

    @FXML
    private Label lockoutVerdict;

    @FXML
    private Label targeted;

    @FXML
    private Label lockoutProblem;

    @FXML
    private TextField newEmail;

    @FXML
    private TextField newName;

    @FXML
    private ChoiceBox<Role> newRole;

    @FXML
    private javafx.scene.control.PasswordField newPassword;

    @FXML
    private Label newError;

    @FXML
    private Label created;

    @FXML
    private Label requestOpened;

    @FXML
    private VBox deactivateBox;

    @FXML
    private Label deactivateWarning;

    @FXML
    private Tab requestsTab;

    @FXML
    private Tab historyTab;

    @FXML
    private TableView<GdprRequestView> requestTable;

    @FXML
    private TableColumn<GdprRequestView, String> requestReceived;

    @FXML
    private TableColumn<GdprRequestView, String> requestKind;

    @FXML
    private TableColumn<GdprRequestView, String> requestState;

    @FXML
    private TableColumn<GdprRequestView, String> requestDeadline;

    @FXML
    private ListView<AuditEntry> historyList;

    private final ZoneId zone;

    public UsersView(UsersViewModel viewModel, ZoneId zone) {
        this.viewModel = viewModel;
        this.zone = zone;
    }

    private void lockouts() {
        var model = viewModel.lockouts();
        lockoutPane.visibleProperty().bind(viewModel.canCreateStaffProperty());
        lockoutPane.managedProperty().bind(viewModel.canCreateStaffProperty());
        lockoutPane.expandedProperty().subscribe(open -> {
            if (open) {
                model.refresh();
            }
        });
        lockoutTable.setItems(model.lockouts());
        text(lockedEmail, io.steward.server.api.SignInLockout::email);
        text(lockedIp, io.steward.server.api.SignInLockout::ip);
        text(lockedAt, l -> model.time(l.lockedAt()));
        text(lockedUntil, l -> model.time(l.lockedUntil()));
        unlock.disableProperty()
                .bind(lockoutTable.getSelectionModel().selectedItemProperty().isNull());
        shownWhenSet(lockoutVerdict, model.verdictProperty());
        shownWhenSet(targeted, model.targetedProperty());
        shownWhenSet(lockoutProblem, model.problemProperty());
    }

    @FXML
    private void onUnlock() {
        viewModel.lockouts().unlock(lockoutTable.getSelectionModel().getSelectedItem());
    }

    @FXML
    private void onRefreshLockouts() {
        viewModel.lockouts().refresh();
    }

    @FXML
    private void initialize() {
        summary.textProperty().bind(viewModel.summaryProperty());
        shownWhenSet(problem, viewModel.problemProperty());
        query.textProperty().bindBidirectional(viewModel.queryProperty());
        role.getItems().setAll(UsersViewModel.RoleChoice.values());
        role.valueProperty().bindBidirectional(viewModel.roleProperty());
        status.getItems().setAll(UsersViewModel.StatusChoice.values());
        status.valueProperty().bindBidirectional(viewModel.statusProperty());
        userTable.setItems(viewModel.users());
        text(name, UserView::name);
        text(email, UserView::email);
        text(roleColumn, u -> u.role().wireName());
        text(state, u -> u.active() ? "active" : "deactivated");
        text(joined, u -> viewModel.day(u.createdAt()));
        userTable.getSelectionModel().selectedItemProperty().subscribe(viewModel.selectedProperty()::set);
        details.textProperty().bind(viewModel.detailsProperty());
        editor.visibleProperty().bind(viewModel.currentProperty().isNotNull());
        editor.managedProperty().bind(editor.visibleProperty());
        editName.textProperty().bindBidirectional(viewModel.editNameProperty());
        editEmail.textProperty().bindBidirectional(viewModel.editEmailProperty());
        editRole.setItems(viewModel.assignableRoles());
        editRole.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Role value) {
                return value == null ? "" : value.wireName();
            }

            @Override
            public Role fromString(String text) {
                return Role.fromWire(text);
            }
        });
        editRole.valueProperty().bindBidirectional(viewModel.editRoleProperty());
        editActive.selectedProperty().bindBidirectional(viewModel.editActiveProperty());
        fieldError(editName, nameError, viewModel.nameErrorProperty());
        fieldError(editEmail, emailError, viewModel.emailErrorProperty());
        fieldError(editRole, roleError, viewModel.roleErrorProperty());
        shownWhenSet(saved, viewModel.savedProperty());
        requestType
                .getItems()
                .setAll(java.util.Arrays.stream(GdprType.values())
                        .map(GdprType::wireName)
                        .toList());
        requestType.valueProperty().bindBidirectional(viewModel.requestTypeProperty());
        shownWhenSet(requestOpened, viewModel.requestOpenedProperty());
        staffPane.visibleProperty().bind(viewModel.canCreateStaffProperty());
        staffPane.managedProperty().bind(viewModel.canCreateStaffProperty());
        lockouts();
        newEmail.textProperty().bindBidirectional(viewModel.newEmailProperty());
        newName.textProperty().bindBidirectional(viewModel.newNameProperty());
        newRole.getItems().setAll(Role.SUPPORT, Role.AUDITOR, Role.ADMIN);
        newRole.setConverter(editRole.getConverter());
        newRole.valueProperty().bindBidirectional(viewModel.newRoleProperty());
        newPassword.textProperty().bindBidirectional(viewModel.newPasswordProperty());
        shownWhenSet(newError, viewModel.newErrorProperty());
        shownWhenSet(created, viewModel.createdProperty());
        shownWhenSet(deactivateWarning, viewModel.deactivateWarningProperty());
        deactivateBox.visibleProperty().bind(deactivateWarning.visibleProperty());
        deactivateBox.managedProperty().bind(deactivateBox.visibleProperty());
        requestTable.setItems(viewModel.requests());
        text(requestReceived, r -> viewModel.day(r.receivedAt()));
        text(requestKind, r -> r.type().wireName());
        text(requestState, r -> r.status().wireName());
        text(requestDeadline, r -> viewModel.day(r.deadline()) + (r.overdue() ? " (overdue)" : ""));
        requestsTab.textProperty().bind(Bindings.format("GDPR requests (%d)", Bindings.size(viewModel.requests())));
        History.show(historyList, zone, "Nothing recorded about this person yet.");
        historyList.setItems(viewModel.history());
        historyTab.textProperty().bind(Bindings.format("History (%d)", Bindings.size(viewModel.history())));
        // the next page is fetched when one of the last rows is drawn: scrolling near the end
        userTable.setRowFactory(table -> new TableRow<>() {
            @Override
            protected void updateItem(UserView user, boolean empty) {
                super.updateItem(user, empty);
                if (!empty && user != null && getIndex() >= table.getItems().size() - 5) {
                    viewModel.loadMore();
                }
            }
        });
    }

    /** A field's error under it, and the field marked while there is one. */
    private static void fieldError(
            javafx.scene.Node field, Label label, javafx.beans.value.ObservableStringValue error) {
        shownWhenSet(label, error);
        error.subscribe(text -> {
            field.getStyleClass().remove("field-error");
            if (text != null && !text.isEmpty()) {
                field.getStyleClass().add("field-error");
            }
        });
    }

    @FXML
    private void onSave() {
        viewModel.save();
    }

    @FXML
    private void onConfirmDeactivate() {
        viewModel.confirmDeactivation();
    }

    @FXML
    private void onKeepActive() {
        viewModel.keepActive();
    }

    @FXML
    private void onCreateStaff() {
        viewModel.createStaff();
    }

    @FXML
    private void onOpenRequest() {
        viewModel.openRequest();
    }
}
