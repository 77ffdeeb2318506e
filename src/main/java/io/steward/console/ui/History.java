package io.steward.console.ui;

import io.steward.server.api.AuditEntry;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * Audit entries as a person reads them, in the history of a user and the timeline of a GDPR
 * request: when, what happened in words, by whom, and the details that matter.
 */
public final class History {
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final DateTimeFormatter WHEN = io.steward.console.ui.Dates.MINUTE;

    /** Actions in words; an action not listed is shown as recorded. */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("auth.login", "Signed in"),
            Map.entry("auth.login_failed", "Sign-in failed"),
            Map.entry("auth.lockout", "Locked out after failed sign-ins"),
            Map.entry("auth.login_locked", "Sign-in refused while locked"),
            Map.entry("auth.logout", "Signed out"),
            Map.entry("user.created", "Account created"),
            Map.entry("user.bootstrap_admin", "First administrator created"),
            Map.entry("user.updated", "Account changed"),
            Map.entry("user.rectified", "Data rectified (Art. 16)"),
            Map.entry("user.restriction_lifted", "Processing restriction lifted"),
            Map.entry("gdpr.request_opened", "Request recorded"),
            Map.entry("gdpr.request_verified", "Identity verified"),
            Map.entry("gdpr.request_extended", "Deadline extended"),
            Map.entry("gdpr.request_approved", "Erasure approved"),
            Map.entry("gdpr.request_completed", "Request completed"),
            Map.entry("gdpr.request_rejected", "Request rejected"),
            Map.entry("gdpr.recipient_notified", "Recipient told (Art. 19)"),
            Map.entry("gdpr.subject_exported", "Personal data exported"));

    /** Details that are bookkeeping, not news to a person (the entries name who verified and who approved). */
    private static final List<String> QUIET = List.of("requestId", "from", "type", "approvedBy", "verifiedBy");

    /** Detail names in words; a name not listed is shown as recorded. */
    private static final Map<String, String> NAMES = Map.of(
            "dueAt", "due",
            "fields", "changed",
            "tokensRevoked", "console sessions ended",
            "sha256", "SHA-256",
            "exportSha256", "export SHA-256",
            "complaintRightTold", "told of the right to complain");

    private History() {}

    public static String action(String action) {
        return ACTIONS.getOrDefault(action, action);
    }

    public static String actor(AuditEntry entry) {
        if (entry.actorId() == null) {
            return "Steward (automatic)";
        }
        return entry.actorName() != null
                ? entry.actorName()
                : "user " + entry.actorId().toString().substring(0, 8);
    }

    /** What happened, in words, with the kind of GDPR request it concerns. */
    public static String what(AuditEntry entry) {
        return action(entry.action())
                + (entry.action().startsWith("gdpr.request_") && entry.details().get("type") instanceof String type
                        ? " (" + type + ")"
                        : "");
    }

    /** The details worth reading, e.g. {@code changed: name; role: student → support; note: by post}. */
    public static String details(AuditEntry entry, ZoneId zone) {
        var parts = new ArrayList<String>();
        entry.details().forEach((key, value) -> {
            if (QUIET.contains(key)) {
                return;
            }
            if (key.equals("personal") && value instanceof Map<?, ?> personal) {
                personal.forEach((k, v) -> parts.add(k + ": " + shown(v, zone)));
            } else if (key.equals("personal")) {
                parts.add("personal details: " + value);
            } else {
                parts.add(NAMES.getOrDefault(key, key) + ": " + shown(value, zone));
            }
        });
        return String.join("; ", parts);
    }

    private static String shown(@Nullable Object value, ZoneId zone) {
        return switch (value) {
            case null -> "—";
            case Map<?, ?> change
            when change.containsKey("before") && change.containsKey("after") ->
                shown(change.get("before"), zone) + " → " + shown(change.get("after"), zone);
            case List<?> list ->
                String.join(", ", list.stream().map(String::valueOf).toList());
            case Boolean b -> b ? "yes" : "no";
            case String text
            when INSTANT.matcher(text).matches() ->
                WHEN.format(Instant.parse(text).atZone(zone));
            default -> String.valueOf(value);
        };
    }

    /**
     * Makes {@code list} show a history: each entry as two lines, when and by whom above what
     * happened and its details, wrapped to the list's width.
     */
    public static void show(ListView<AuditEntry> list, ZoneId zone, String empty) {
        list.setCellFactory(view -> new ListCell<>() {
            private final Label heading = new Label();
            private final Label body = new Label();
            private final VBox lines = new VBox(2, heading, body);

            {
                heading.getStyleClass().add("history-when");
                body.setWrapText(true);
                body.maxWidthProperty().bind(view.widthProperty().subtract(36));
            }

            @Override
            protected void updateItem(AuditEntry entry, boolean isEmpty) {
                super.updateItem(entry, isEmpty);
                setText(null);
                if (isEmpty || entry == null) {
                    setGraphic(null);
                    return;
                }
                heading.setText(WHEN.format(entry.at().atZone(zone)) + " · " + actor(entry));
                String more = details(entry, zone);
                body.setText(what(entry) + (more.isEmpty() ? "" : " — " + more));
                setGraphic(lines);
            }
        });
        var placeholder = new Label(empty);
        placeholder.setWrapText(true);
        list.setPlaceholder(placeholder);
    }
}
