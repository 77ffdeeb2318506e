package io.steward.console.users;

import io.steward.console.client.ApiException;
import io.steward.console.client.Cancellation;
import io.steward.console.session.Session;
import io.steward.console.ui.Dates;
import io.steward.console.ui.Text;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.GdprRequestView;
import io.steward.server.api.GdprType;
import io.steward.server.api.Page;
import io.steward.server.api.Role;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The Users screen: search as you type (after a short pause; an answer to an older search is
 * dropped), role and status filters, pages fetched as the list is scrolled (keyset, never the
 * whole table), and the selected user's details. Holds no JavaFX nodes.
 */
public final class UsersViewModel {
    private static final DateTimeFormatter WHEN = Dates.MINUTE;
    private static final DateTimeFormatter DAY = Dates.DAY;
    static final int PAGE = 50;
    /** How many of a user's GDPR requests and audit entries the detail pane lists, newest first. */
    static final int RELATED = 50;

    /** Role filter choices; the empty one is every role. */
    public enum RoleChoice {
        ANY("", "Any role"),
        STUDENT("student", "Students"),
        INSTRUCTOR("instructor", "Instructors"),
        SUPPORT("support", "Support"),
        AUDITOR("auditor", "Auditors"),
        ADMIN("admin", "Admins");

        final String wire;
        private final String label;

        RoleChoice(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Status filter choices; the default leaves deleted accounts out. */
    public enum StatusChoice {
        CURRENT("", "Not deleted"),
        ACTIVE("active", "Active"),
        INACTIVE("inactive", "Deactivated"),
        DELETED("deleted", "Deleted");

        final String wire;
        private final String label;

        StatusChoice(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Session session;
    private final ZoneId zone;
    private final StringProperty query = new SimpleStringProperty("");
    private final ObjectProperty<RoleChoice> role = new SimpleObjectProperty<>(RoleChoice.ANY);
    private final ObjectProperty<StatusChoice> status = new SimpleObjectProperty<>(StatusChoice.CURRENT);
    private final ObservableList<UserView> users = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable UserView> selected = new SimpleObjectProperty<>();
    private final StringProperty details = new SimpleStringProperty("Select a user to see their details.");
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final Runnable typed;
    private final ObjectProperty<@Nullable UserDetail> current = new SimpleObjectProperty<>();
    private final StringProperty editName = new SimpleStringProperty("");
    private final StringProperty editEmail = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable Role> editRole = new SimpleObjectProperty<>();
    private final BooleanProperty editActive = new SimpleBooleanProperty();
    private final StringProperty nameError = new SimpleStringProperty("");
    private final StringProperty emailError = new SimpleStringProperty("");
    private final StringProperty roleError = new SimpleStringProperty("");
    private final StringProperty saved = new SimpleStringProperty("");
    private final ObservableList<Role> assignableRoles = FXCollections.observableArrayList();
    private final StringProperty requestType = new SimpleStringProperty(GdprType.ACCESS.wireName());
    private final StringProperty newEmail = new SimpleStringProperty("");
    private final StringProperty newName = new SimpleStringProperty("");
    private final ObjectProperty<Role> newRole = new SimpleObjectProperty<>(Role.SUPPORT);
    private final StringProperty newPassword = new SimpleStringProperty("");
    private final StringProperty newError = new SimpleStringProperty("");
    private final StringProperty created = new SimpleStringProperty("");
    private final BooleanProperty canCreateStaff;
    private final StringProperty requestOpened = new SimpleStringProperty("");
    private final StringProperty deactivateWarning = new SimpleStringProperty("");
    private final ObservableList<GdprRequestView> requests = FXCollections.observableArrayList();
    private final ObservableList<AuditEntry> history = FXCollections.observableArrayList();
    private long generation;
    private @Nullable UUID shownId;
    private @Nullable Cancellation searching;
    private @Nullable String cursor;
    private boolean fetching;
    private final LockoutsViewModel lockouts;

    public UsersViewModel(Session session, ZoneId zone) {
        this(session, zone, UsersViewModel::afterTypingPause);
    }

    /**
     * {@code pause} makes of the search what each keystroke calls: in the console, a short pause
     * started again by every keystroke, then the search; a test pauses when it says so.
     */
    UsersViewModel(Session session, ZoneId zone, Function<Runnable, Runnable> pause) {
        this.session = session;
        this.zone = zone;
        this.canCreateStaff = new SimpleBooleanProperty(session.role() == Role.ADMIN);
        this.lockouts = new LockoutsViewModel(session, zone);
        // support looks after platform users; only admins give or take staff roles
        assignableRoles.setAll(
                session.role() == Role.ADMIN
                        ? List.of(Role.STUDENT, Role.INSTRUCTOR, Role.SUPPORT, Role.AUDITOR, Role.ADMIN)
                        : List.of(Role.STUDENT, Role.INSTRUCTOR));
        this.typed = pause.apply(this::search);
        selected.subscribe(this::showDetails);
    }

    /** 250 ms after the last keystroke, {@code search} (an FX animation: keystrokes come on the FX thread). */
    private static Runnable afterTypingPause(Runnable search) {
        var typing = new PauseTransition(Duration.millis(250));
        typing.setOnFinished(event -> search.run());
        return typing::playFromStart;
    }

    /** Lists the first page, and again for each search typed or filter chosen. */
    public void start() {
        query.subscribe((before, text) -> typed.run());
        role.subscribe((before, choice) -> search());
        status.subscribe((before, choice) -> search());
        search();
    }

    /** Lists the first page for the current search and filters. */
    public void search() {
        long mine = ++generation;
        cursor = null;
        fetching = true;
        String q = query.get() == null ? "" : query.get();
        String r = role.get().wire;
        String s = status.get().wire;
        Cancellation cancellation = replaceSearch();
        session.executor()
                .run(
                        () -> session.api().users().list(q, r, s, null, PAGE, cancellation),
                        page -> {
                            if (mine == generation) {
                                show(page, true);
                            }
                        },
                        this::failUnlessCancelled);
    }

    /** A new search or page: the request still out for an older one is cancelled. */
    private Cancellation replaceSearch() {
        @Nullable Cancellation older = searching;
        if (older != null) {
            older.cancel();
        }
        var cancellation = new Cancellation();
        searching = cancellation;
        return cancellation;
    }

    private void failUnlessCancelled(Throwable failure) {
        if (!(failure instanceof Cancellation.Cancelled)) {
            fail(failure);
        }
    }

    /** The next page, when the list is scrolled near its end. */
    public void loadMore() {
        @Nullable String after = cursor;
        if (after == null || fetching) {
            return;
        }
        long mine = generation;
        fetching = true;
        String q = query.get() == null ? "" : query.get();
        String r = role.get().wire;
        String s = status.get().wire;
        Cancellation cancellation = replaceSearch();
        session.executor()
                .run(
                        () -> session.api().users().list(q, r, s, after, PAGE, cancellation),
                        page -> {
                            if (mine == generation) {
                                show(page, false);
                            }
                        },
                        this::failUnlessCancelled);
    }

    private void show(Page<UserView> page, boolean fresh) {
        fetching = false;
        problem.set("");
        if (fresh) {
            users.setAll(page.items());
        } else {
            users.addAll(page.items());
        }
        cursor = page.nextCursor();
        summary.set(
                users.isEmpty()
                        ? "No users match."
                        : String.format(
                                Locale.ENGLISH,
                                "%,d shown%s",
                                users.size(),
                                cursor == null ? "" : ", scroll for more"));
    }

    private void showDetails(@Nullable UserView user) {
        if (user == null) {
            return; // the list lets go of its selection while its rows are replaced
        }
        @Nullable UserDetail shown = current.get();
        if (shown != null && shown.id().equals(user.id()) && shown.version() == user.version()) {
            return; // the row of the user just saved
        }
        details.set("Loading " + user.email() + "…");
        shownId = user.id();
        clearEdit();
        requests.clear();
        history.clear();
        session.executor().run(() -> session.api().users().get(user.id()), this::showUser, this::fail);
        loadRelated(user.id());
    }

    /** The user's GDPR requests and what the audit trail says about them, each newest first. */
    private void loadRelated(UUID id) {
        session.executor()
                .run(
                        () -> session.api().gdpr().list("", null, false, id, RELATED),
                        page -> {
                            if (showing(id)) {
                                requests.setAll(page.items());
                            }
                        },
                        this::fail);
        session.executor()
                .run(
                        () -> session.api().users().history(id, RELATED),
                        page -> {
                            if (showing(id)) {
                                history.setAll(page.items());
                            }
                        },
                        this::fail);
    }

    /** Whether the user {@code id} is still the one shown (answers about another are dropped). */
    private boolean showing(UUID id) {
        return id.equals(shownId);
    }

    private void showUser(UserDetail user) {
        current.set(user);
        details.set(describe(user));
        editName.set(user.name());
        editEmail.set(user.email());
        editRole.set(user.role());
        editActive.set(user.active());
    }

    /** Creates the staff account described in the form (admins); the server checks the password policy. */
    public void createStaff() {
        newError.set("");
        created.set("");
        var account = new io.steward.server.api.CreateUserRequest(
                newEmail.get() == null ? "" : newEmail.get().strip(),
                newName.get() == null ? "" : newName.get().strip(),
                newRole.get().wireName(),
                newPassword.get(),
                true);
        session.executor()
                .run(
                        () -> session.api().users().create(account),
                        user -> {
                            newPassword.set("");
                            created.set("Created " + user.email() + " ("
                                    + user.role().wireName()
                                    + "). They sign in with the password you set; give it to them in person.");
                            search();
                        },
                        failure -> newError.set(
                                failure instanceof ApiException api
                                                && api.field().isPresent()
                                        ? Text.capitalised(api.field().get()) + ": " + api.serverMessage() + "."
                                        : Text.problem(failure)));
    }

    /** Records a GDPR request from the user shown, of the type chosen; its deadline starts now. */
    public void openRequest() {
        @Nullable UserDetail user = current.get();
        @Nullable GdprType type = GdprType.parse(requestType.get()).orElse(null);
        if (user == null || type == null) {
            return;
        }
        requestOpened.set("");
        session.executor()
                .run(
                        () -> session.api().gdpr().open(user.id(), type, null),
                        request -> {
                            requestOpened.set(Text.capitalised(type.wireName()) + " request recorded for "
                                    + user.email() + ", due " + when(request.deadline()) + ".");
                            loadRelated(user.id());
                            // the next step is on the queue: go there, with the request picked
                            session.navigator().show("gdpr", request.id());
                        },
                        this::fail);
    }

    private void clearEdit() {
        requestOpened.set("");
        deactivateWarning.set("");
        nameError.set("");
        emailError.set("");
        roleError.set("");
        saved.set("");
    }

    /**
     * Saves what changed in the form. A field the server refuses shows its message beside that
     * field; a user changed meanwhile by someone else is reloaded, with a word on what happened.
     * Deactivating waits for {@link #confirmDeactivation()}, having said what it will do.
     */
    public void save() {
        save(false);
    }

    /** The person confirmed the deactivation the form asks for: saves it. */
    public void confirmDeactivation() {
        save(true);
    }

    /** The person changed their mind: the account stays active, nothing is sent. */
    public void keepActive() {
        deactivateWarning.set("");
        editActive.set(true);
    }

    private void save(boolean deactivationConfirmed) {
        @Nullable UserDetail user = current.get();
        if (user == null) {
            return;
        }
        clearEdit();
        String name = editName.get() == null ? "" : editName.get().strip();
        String email = editEmail.get() == null ? "" : editEmail.get().strip();
        @Nullable Role role = editRole.get();
        var change = new UpdateUserRequest(
                email.equals(user.email()) ? null : email,
                name.equals(user.name()) ? null : name,
                role == null || role == user.role() ? null : role.wireName(),
                editActive.get() == user.active() ? null : editActive.get(),
                null);
        if (change.name() == null && change.email() == null && change.role() == null && change.active() == null) {
            saved.set("Nothing to save: nothing was changed.");
            return;
        }
        if (Boolean.FALSE.equals(change.active()) && !deactivationConfirmed) {
            deactivateWarning.set("Deactivate " + user.name() + " (" + user.email() + ")? "
                    + (user.role().isStaff()
                            ? "They are signed out of the console at once and cannot sign in again"
                            : "They can no longer sign in to the platform")
                    + " until someone reactivates the account. Their data is kept.");
            return;
        }
        session.executor()
                .run(
                        () -> session.api().users().update(user.id(), user.version(), change),
                        updated -> {
                            problem.set("");
                            showUser(updated);
                            saved.set("Saved.");
                            loadRelated(updated.id());
                            for (int i = 0; i < users.size(); i++) {
                                if (users.get(i).id().equals(updated.id())) {
                                    users.set(i, updated.summary());
                                }
                            }
                        },
                        failure -> refused(user, failure));
    }

    private void refused(UserDetail user, Throwable failure) {
        if (failure instanceof ApiException api && api.status() == 412) {
            problem.set("Someone changed " + user.email() + " while you were editing. Their current details are shown"
                    + " now; make your change again.");
            session.executor().run(() -> session.api().users().get(user.id()), this::showUser, this::fail);
            return;
        }
        if (failure instanceof ApiException api && api.field().isPresent()) {
            String message = Text.capitalised(api.serverMessage()) + ".";
            switch (api.field().get()) {
                case "name" -> nameError.set(message);
                case "email" -> emailError.set(message);
                case "role" -> roleError.set(message);
                default -> problem.set(message);
            }
            return;
        }
        fail(failure);
    }

    String describe(UserDetail u) {
        var c = u.counts();
        return u.name() + "\n" + u.email() + "\n\n"
                + "Role: " + u.role().wireName() + "\n"
                + "Status: "
                + (u.deletedAt() != null ? "deleted " + when(u.deletedAt()) : u.active() ? "active" : "deactivated")
                + (u.anonymized() ? " (anonymised)" : "") + (u.processingRestricted() ? ", processing restricted" : "")
                + "\n"
                + "E-mail verified: " + (u.emailVerified() ? "yes" : "no") + "\n"
                + "Phone: " + orDash(u.phone()) + "\n"
                + "Address: " + address(u) + "\n"
                + "Born: " + Dates.day(u.dateOfBirth()) + "\n"
                + "Marketing consent: " + (u.marketingConsent() ? "yes" : "no") + "\n"
                + "Joined: " + when(u.createdAt()) + "\n"
                + "Last sign-in: " + (u.lastLogin() == null ? "never" : when(u.lastLogin())) + "\n\n"
                + String.format(
                        Locale.ENGLISH,
                        "Related records: enrolments %,d, communications %,d, sessions %,d, e-mails %,d, GDPR requests %,d, audit entries %,d",
                        c.enrollments(),
                        c.communications(),
                        c.sessions(),
                        c.emailLogs(),
                        c.gdprRequests(),
                        c.auditEntries());
    }

    private static String address(UserDetail u) {
        String joined = String.join(
                ", ",
                java.util.stream.Stream.of(u.street(), u.postalCode(), u.city(), u.country())
                        .filter(part -> part != null && !part.isBlank())
                        .toList());
        return joined.isEmpty() ? "—" : joined;
    }

    private static String orDash(@Nullable String value) {
        return value == null || value.isBlank() ? "—" : value;
    }

    public String when(@Nullable Instant at) {
        return at == null ? "—" : WHEN.format(at.atZone(zone));
    }

    /** The day only, e.g. {@code 29 Nov 2026}. */
    public String day(Instant at) {
        return DAY.format(at.atZone(zone));
    }

    private void fail(Throwable failure) {
        fetching = false;
        problem.set(Text.problem(failure));
    }

    public ObjectProperty<@Nullable UserDetail> currentProperty() {
        return current;
    }

    public StringProperty editNameProperty() {
        return editName;
    }

    public StringProperty editEmailProperty() {
        return editEmail;
    }

    public ObjectProperty<@Nullable Role> editRoleProperty() {
        return editRole;
    }

    public BooleanProperty editActiveProperty() {
        return editActive;
    }

    public StringProperty nameErrorProperty() {
        return nameError;
    }

    public StringProperty emailErrorProperty() {
        return emailError;
    }

    public StringProperty roleErrorProperty() {
        return roleError;
    }

    public StringProperty savedProperty() {
        return saved;
    }

    public StringProperty newEmailProperty() {
        return newEmail;
    }

    public StringProperty newNameProperty() {
        return newName;
    }

    public ObjectProperty<Role> newRoleProperty() {
        return newRole;
    }

    public StringProperty newPasswordProperty() {
        return newPassword;
    }

    public StringProperty newErrorProperty() {
        return newError;
    }

    public StringProperty createdProperty() {
        return created;
    }

    /** Sign-in lockouts, for admins (shown with the staff tools). */
    public LockoutsViewModel lockouts() {
        return lockouts;
    }

    public BooleanProperty canCreateStaffProperty() {
        return canCreateStaff;
    }

    public StringProperty requestTypeProperty() {
        return requestType;
    }

    public StringProperty deactivateWarningProperty() {
        return deactivateWarning;
    }

    public ObservableList<GdprRequestView> requests() {
        return requests;
    }

    public ObservableList<AuditEntry> history() {
        return history;
    }

    public StringProperty requestOpenedProperty() {
        return requestOpened;
    }

    public ObservableList<Role> assignableRoles() {
        return assignableRoles;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ObjectProperty<RoleChoice> roleProperty() {
        return role;
    }

    public ObjectProperty<StatusChoice> statusProperty() {
        return status;
    }

    public ObservableList<UserView> users() {
        return users;
    }

    public ObjectProperty<@Nullable UserView> selectedProperty() {
        return selected;
    }

    public StringProperty detailsProperty() {
        return details;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public StringProperty problemProperty() {
        return problem;
    }
}
