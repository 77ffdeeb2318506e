package io.steward.server.access;

import static io.steward.server.access.Permission.*;

import java.util.List;

/**
 * Every route of the HTTP API v1 with the permission it needs: the table of docs/api.md, in code.
 * A handler can only be registered for a route listed here, and the router checks the
 * permission before any handler runs. Routes listed before their feature exists answer
 * 404 to those allowed to call them, and 401/403 to everyone else.
 */
public final class AccessPolicy {
    private AccessPolicy() {}

    private static final List<Route> ROUTES = List.of(
            r("GET", "/health/live", PUBLIC),
            r("GET", "/health/ready", PUBLIC),
            r("POST", "/api/v1/auth/login", PUBLIC),
            r("POST", "/api/v1/auth/logout", STAFF),
            r("GET", "/api/v1/auth/me", STAFF),
            r("GET", "/api/v1/auth/lockouts", SIGN_IN_LOCKOUTS),
            r("POST", "/api/v1/auth/lockouts/unlock", SIGN_IN_LOCKOUTS),
            r("GET", "/api/v1/health", STAFF),
            r("GET", "/api/v1/health/history", STAFF),
            r("GET", "/metrics", METRICS_READ),
            r("GET", "/api/v1/metrics", STAFF),
            r("GET", "/api/v1/metrics/series", STAFF),
            r("GET", "/api/v1/events", STAFF),
            r("GET", "/api/v1/alerts", STAFF),
            r("GET", "/api/v1/alert-rules", STAFF),
            r("POST", "/api/v1/alert-rules", ALERT_RULES_WRITE),
            r("PUT", "/api/v1/alert-rules/{id}", ALERT_RULES_WRITE),
            r("DELETE", "/api/v1/alert-rules/{id}", ALERT_RULES_WRITE),
            r("GET", "/api/v1/silences", STAFF),
            r("POST", "/api/v1/silences", SILENCES_WRITE),
            r("DELETE", "/api/v1/silences/{id}", SILENCES_WRITE),
            r("GET", "/api/v1/users", USERS_READ),
            r("GET", "/api/v1/users/export.csv", USERS_READ),
            r("GET", "/api/v1/users/{id}", USERS_READ),
            r("POST", "/api/v1/users", USERS_WRITE),
            r("PATCH", "/api/v1/users/{id}", USERS_WRITE),
            r("GET", "/api/v1/users/{id}/export", USERS_READ),
            r("GET", "/api/v1/users/{id}/history", USERS_READ),
            r("POST", "/api/v1/users/{id}/rectify", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests", GDPR_MANAGE),
            r("GET", "/api/v1/gdpr/requests", GDPR_MANAGE),
            r("GET", "/api/v1/gdpr/requests/{id}", GDPR_MANAGE),
            r("GET", "/api/v1/gdpr/requests/{id}/timeline", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests/{id}/verify", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests/{id}/extend", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests/{id}/reject", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests/{id}/complete", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/requests/{id}/approve", GDPR_APPROVE),
            r("POST", "/api/v1/gdpr/requests/{id}/recipients/{recipient}/notified", GDPR_MANAGE),
            r("POST", "/api/v1/gdpr/retention/run", GDPR_RETENTION),
            r("GET", "/api/v1/audit", AUDIT_READ),
            r("GET", "/api/v1/audit/verify", AUDIT_READ),
            r("GET", "/api/v1/audit/public-key", AUDIT_READ),
            r("GET", "/api/v1/audit/checkpoints", AUDIT_READ),
            r("GET", "/api/v1/reports/evidence-pack", REPORTS_READ),
            r("GET", "/api/v1/reports/{type}", REPORTS_READ),
            r("GET", "/api/v1/flags", STAFF),
            r("GET", "/api/v1/flags/{key}/evaluate", STAFF),
            r("GET", "/api/v1/flags/{key}/preview", STAFF),
            r("PUT", "/api/v1/flags/{key}", FLAGS_WRITE),
            r("GET", "/api/v1/backups", BACKUPS_READ),
            r("POST", "/api/v1/backups", BACKUPS_WRITE),
            r("GET", "/api/v1/backups/drill", BACKUPS_READ),
            r("GET", "/api/v1/backups/{id}", BACKUPS_READ),
            r("POST", "/api/v1/backups/{id}/verify", BACKUPS_WRITE),
            r("GET", "/api/v1/system", STAFF));

    /** All routes of the contract. */
    public static List<Route> routes() {
        return ROUTES;
    }

    private static Route r(String method, String template, Permission permission) {
        return new Route(method, template, permission);
    }
}
