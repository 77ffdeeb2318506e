package io.steward.server.api;

import static io.steward.server.api.Permission.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Every endpoint of the HTTP API v1 — method, path template and the permission it needs — written
 * once: the server binds each handler to one of these (and checks the permission before the
 * handler runs), the console builds its URLs from them, and docs/api.md lists them. Endpoints
 * listed before their feature exists answer 404 to those allowed to call them.
 */
public enum Endpoint {
    HEALTH_LIVE("GET", "/health/live", PUBLIC),
    HEALTH_READY("GET", "/health/ready", PUBLIC),
    LOGIN("POST", "/api/v1/auth/login", PUBLIC),
    LOGOUT("POST", "/api/v1/auth/logout", STAFF),
    ME("GET", "/api/v1/auth/me", STAFF),
    LOCKOUTS("GET", "/api/v1/auth/lockouts", SIGN_IN_LOCKOUTS),
    UNLOCK("POST", "/api/v1/auth/lockouts/unlock", SIGN_IN_LOCKOUTS),
    HEALTH("GET", "/api/v1/health", STAFF),
    HEALTH_HISTORY("GET", "/api/v1/health/history", STAFF),
    PROMETHEUS("GET", "/metrics", METRICS_READ),
    METRICS("GET", "/api/v1/metrics", STAFF),
    METRIC_SERIES("GET", "/api/v1/metrics/series", STAFF),
    EVENTS("GET", "/api/v1/events", STAFF),
    ALERTS("GET", "/api/v1/alerts", STAFF),
    ALERT_ACKNOWLEDGE("POST", "/api/v1/alerts/{id}/acknowledge", ALERTS_ACKNOWLEDGE),
    ALERT_RULES("GET", "/api/v1/alert-rules", STAFF),
    ALERT_RULE_CREATE("POST", "/api/v1/alert-rules", ALERT_RULES_WRITE),
    ALERT_RULE_UPDATE("PUT", "/api/v1/alert-rules/{id}", ALERT_RULES_WRITE),
    ALERT_RULE_DELETE("DELETE", "/api/v1/alert-rules/{id}", ALERT_RULES_WRITE),
    SILENCES("GET", "/api/v1/silences", STAFF),
    SILENCE_CREATE("POST", "/api/v1/silences", SILENCES_WRITE),
    SILENCE_DELETE("DELETE", "/api/v1/silences/{id}", SILENCES_WRITE),
    USERS("GET", "/api/v1/users", USERS_READ),
    USERS_CSV("GET", "/api/v1/users/export.csv", USERS_READ),
    USER("GET", "/api/v1/users/{id}", USERS_READ),
    USER_CREATE("POST", "/api/v1/users", USERS_WRITE),
    USER_UPDATE("PATCH", "/api/v1/users/{id}", USERS_WRITE),
    USER_EXPORT("GET", "/api/v1/users/{id}/export", USERS_READ),
    USER_HISTORY("GET", "/api/v1/users/{id}/history", USERS_READ),
    USER_RECTIFY("POST", "/api/v1/users/{id}/rectify", GDPR_MANAGE),
    GDPR_OPEN("POST", "/api/v1/gdpr/requests", GDPR_MANAGE),
    GDPR_REQUESTS("GET", "/api/v1/gdpr/requests", GDPR_MANAGE),
    GDPR_REQUEST("GET", "/api/v1/gdpr/requests/{id}", GDPR_MANAGE),
    GDPR_TIMELINE("GET", "/api/v1/gdpr/requests/{id}/timeline", GDPR_MANAGE),
    GDPR_VERIFY("POST", "/api/v1/gdpr/requests/{id}/verify", GDPR_MANAGE),
    GDPR_EXTEND("POST", "/api/v1/gdpr/requests/{id}/extend", GDPR_MANAGE),
    GDPR_REJECT("POST", "/api/v1/gdpr/requests/{id}/reject", GDPR_MANAGE),
    GDPR_COMPLETE("POST", "/api/v1/gdpr/requests/{id}/complete", GDPR_MANAGE),
    GDPR_APPROVE("POST", "/api/v1/gdpr/requests/{id}/approve", Permission.GDPR_APPROVE),
    GDPR_RECIPIENT_NOTIFIED("POST", "/api/v1/gdpr/requests/{id}/recipients/{recipient}/notified", GDPR_MANAGE),
    GDPR_RETENTION_RUN("POST", "/api/v1/gdpr/retention/run", GDPR_RETENTION),
    AUDIT("GET", "/api/v1/audit", AUDIT_READ),
    AUDIT_VERIFY("GET", "/api/v1/audit/verify", AUDIT_READ),
    AUDIT_PUBLIC_KEY("GET", "/api/v1/audit/public-key", AUDIT_READ),
    AUDIT_CHECKPOINTS("GET", "/api/v1/audit/checkpoints", AUDIT_READ),
    EVIDENCE_PACK("GET", "/api/v1/reports/evidence-pack", REPORTS_READ),
    REPORT_SNAPSHOT("GET", "/api/v1/reports/snapshots/{id}", REPORTS_READ),
    REPORT_GENERATE("POST", "/api/v1/reports/{type}", REPORTS_READ),
    REPORT("GET", "/api/v1/reports/{type}", REPORTS_READ),
    FLAGS("GET", "/api/v1/flags", STAFF),
    FLAG_EVALUATE("GET", "/api/v1/flags/{key}/evaluate", STAFF),
    FLAG_PREVIEW("GET", "/api/v1/flags/{key}/preview", STAFF),
    FLAG_UPDATE("PUT", "/api/v1/flags/{key}", FLAGS_WRITE),
    BACKUPS("GET", "/api/v1/backups", BACKUPS_READ),
    BACKUP_START("POST", "/api/v1/backups", BACKUPS_WRITE),
    BACKUP_DRILL("GET", "/api/v1/backups/drill", BACKUPS_READ),
    BACKUP("GET", "/api/v1/backups/{id}", BACKUPS_READ),
    BACKUP_VERIFY("POST", "/api/v1/backups/{id}/verify", BACKUPS_WRITE),
    SYSTEM("GET", "/api/v1/system", STAFF);

    private final String method;
    private final String template;
    private final Permission permission;
    private final List<String> segments;

    Endpoint(String method, String template, Permission permission) {
        this.method = method;
        this.template = template;
        this.permission = permission;
        this.segments = split(template);
    }

    public String method() {
        return method;
    }

    /** The path with {@code {name}} placeholders, as docs/api.md writes it. */
    public String template() {
        return template;
    }

    public Permission permission() {
        return permission;
    }

    /** Whether calling it twice does no more than calling it once: reads, which a client may retry. */
    public boolean idempotent() {
        return method.equals("GET");
    }

    /** The template's segments; {@code {name}} segments match any one non-empty segment. */
    public List<String> segments() {
        return segments;
    }

    /** Literal segments beat parameters, so {@code /users/export.csv} wins over {@code /users/{id}}. */
    public int specificity() {
        return (int) segments.stream().filter(s -> !isParameter(s)).count();
    }

    /**
     * The path for these values of the template's parameters, in their order, each encoded as one
     * path segment ({@code USER.path(id)} is {@code /api/v1/users/<id>}).
     *
     * @throws IllegalArgumentException if the number of values is not the number of parameters
     */
    public String path(Object... values) {
        var out = new StringBuilder();
        int next = 0;
        for (String segment : segments) {
            out.append('/');
            if (isParameter(segment)) {
                if (next == values.length) {
                    throw new IllegalArgumentException(this + " needs a value for " + segment);
                }
                out.append(URLEncoder.encode(String.valueOf(values[next++]), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
            } else {
                out.append(segment);
            }
        }
        if (next != values.length) {
            throw new IllegalArgumentException(this + " has " + next + " parameters, not " + values.length);
        }
        return out.toString();
    }

    public static List<String> split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
