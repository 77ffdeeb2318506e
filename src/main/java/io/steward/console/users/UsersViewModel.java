package io.steward.console.users;

import io.steward.console.shell.Session;
import io.steward.console.shell.Text;
import io.steward.server.api.Page;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.animation.PauseTransition;
import javafx.beans.property.ObjectProperty;
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
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);
    static final int PAGE = 50;

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
    private final PauseTransition typing = new PauseTransition(Duration.millis(250));
    private long generation;
    private @Nullable String cursor;
    private boolean fetching;

    public UsersViewModel(Session session, ZoneId zone) {
        this.session = session;
        this.zone = zone;
        typing.setOnFinished(event -> search());
        selected.subscribe(this::showDetails);
    }

    public void start() {
        query.subscribe(text -> typing.playFromStart());
        role.subscribe(choice -> search());
        status.subscribe(choice -> search());
    }

    /** Lists the first page for the current search and filters. */
    public void search() {
        long mine = ++generation;
        cursor = null;
        fetching = true;
        String q = query.get() == null ? "" : query.get();
        String r = role.get().wire;
        String s = status.get().wire;
        session.executor()
                .run(
                        () -> session.client().users(q, r, s, null, PAGE),
                        page -> {
                            if (mine == generation) {
                                show(page, true);
                            }
                        },
                        this::fail);
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
        session.executor()
                .run(
                        () -> session.client().users(q, role.get().wire, status.get().wire, after, PAGE),
                        page -> {
                            if (mine == generation) {
                                show(page, false);
                            }
                        },
                        this::fail);
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
        details.set("Loading " + user.email() + "…");
        session.executor().run(() -> session.client().user(user.id()), d -> details.set(describe(d)), this::fail);
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
                + "Born: " + (u.dateOfBirth() == null ? "—" : u.dateOfBirth()) + "\n"
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

    private void fail(Throwable failure) {
        fetching = false;
        problem.set(Text.problem(failure));
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
