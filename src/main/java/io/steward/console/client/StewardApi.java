package io.steward.console.client;

/**
 * The server's API, one small client per resource, all over one {@link Transport}: {@code
 * api.gdpr().complete(id, note)}, {@code api.users().get(id)}…
 */
public final class StewardApi {
    private final Transport transport;
    private final AuthApi auth;
    private final SystemApi system;
    private final MetricsApi metrics;
    private final AlertsApi alerts;
    private final BackupsApi backups;
    private final UsersApi users;
    private final GdprApi gdpr;
    private final FlagsApi flags;
    private final AuditApi audit;
    private final ReportsApi reports;

    public StewardApi(Transport transport) {
        this.transport = transport;
        this.auth = new AuthApi(transport);
        this.system = new SystemApi(transport);
        this.metrics = new MetricsApi(transport);
        this.alerts = new AlertsApi(transport);
        this.backups = new BackupsApi(transport);
        this.users = new UsersApi(transport);
        this.gdpr = new GdprApi(transport);
        this.flags = new FlagsApi(transport);
        this.audit = new AuditApi(transport);
        this.reports = new ReportsApi(transport);
    }

    public Transport transport() {
        return transport;
    }

    public AuthApi auth() {
        return auth;
    }

    public SystemApi system() {
        return system;
    }

    public MetricsApi metrics() {
        return metrics;
    }

    public AlertsApi alerts() {
        return alerts;
    }

    public BackupsApi backups() {
        return backups;
    }

    public UsersApi users() {
        return users;
    }

    public GdprApi gdpr() {
        return gdpr;
    }

    public FlagsApi flags() {
        return flags;
    }

    public AuditApi audit() {
        return audit;
    }

    public ReportsApi reports() {
        return reports;
    }
}
