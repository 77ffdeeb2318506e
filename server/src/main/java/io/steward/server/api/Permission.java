package io.steward.server.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a route needs, and which staff roles have it. This and {@link Endpoint} are the one
 * place where authorization is decided (the route/role table of docs/api.md).
 */
public enum Permission {
    /** No token needed: liveness, readiness, sign-in. */
    PUBLIC(),
    /** Any signed-in staff member: own session, health, metrics, events, alerts, flags, system. */
    STAFF(Role.ADMIN, Role.SUPPORT, Role.AUDITOR),
    /** Staff, or the Prometheus scrape token when one is configured. */
    METRICS_READ(Role.ADMIN, Role.SUPPORT, Role.AUDITOR),
    ALERT_RULES_WRITE(Role.ADMIN),
    /** See and end sign-in lockouts. */
    SIGN_IN_LOCKOUTS(Role.ADMIN),
    SILENCES_WRITE(Role.ADMIN, Role.SUPPORT),
    /** Say that one is on an alert. */
    ALERTS_ACKNOWLEDGE(Role.ADMIN, Role.SUPPORT),
    USERS_READ(Role.ADMIN, Role.SUPPORT),
    USERS_WRITE(Role.ADMIN, Role.SUPPORT),
    GDPR_MANAGE(Role.ADMIN, Role.SUPPORT),
    GDPR_APPROVE(Role.ADMIN),
    GDPR_RETENTION(Role.ADMIN),
    AUDIT_READ(Role.ADMIN, Role.AUDITOR),
    REPORTS_READ(Role.ADMIN, Role.AUDITOR),
    FLAGS_WRITE(Role.ADMIN),
    BACKUPS_READ(Role.ADMIN, Role.AUDITOR),
    BACKUPS_WRITE(Role.ADMIN);

    private final Set<Role> roles;

    Permission(Role... roles) {
        this.roles = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(Set.of(roles));
    }

    public boolean isPublic() {
        return this == PUBLIC;
    }

    /** Whether a signed-in user with {@code role} may use a route needing this permission. */
    public boolean allows(Role role) {
        return roles.contains(role);
    }

    public Set<Role> roles() {
        return EnumSet.copyOf(roles.isEmpty() ? EnumSet.noneOf(Role.class) : roles);
    }
}
