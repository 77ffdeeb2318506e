package io.steward.server;

import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.steward.server.alerts.AlertsModule;
import io.steward.server.api.HealthReport;
import io.steward.server.api.MetricSeries;
import io.steward.server.api.SystemInfo;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.AuditModule;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.auth.AuthModule;
import io.steward.server.auth.AuthSettings;
import io.steward.server.backup.BackupModule;
import io.steward.server.backup.BackupService;
import io.steward.server.cluster.ClusterBus;
import io.steward.server.cluster.Leadership;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.events.EventRoutes;
import io.steward.server.flags.FlagsModule;
import io.steward.server.gdpr.GdprModule;
import io.steward.server.gdpr.RetentionRepository;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.health.HealthModule;
import io.steward.server.http.Exchange;
import io.steward.server.http.Json;
import io.steward.server.http.RequestObserver;
import io.steward.server.http.Router;
import io.steward.server.http.WriteWatchdog;
import io.steward.server.metrics.MetricsModule;
import io.steward.server.metrics.StandardSeries;
import io.steward.server.reports.ReportsModule;
import io.steward.server.system.SystemRoutes;
import io.steward.server.users.StaffBootstrap;
import io.steward.server.users.UsersModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server as an object: it takes its database, clock and limits in the constructor and
 * builds the real routing, so tests run exactly what production runs. Each feature wires its own
 * parts ({@code *Module.wire}); this class composes them, and starts and stops them in order.
 */
public final class StewardServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StewardServer.class);
    private static final Duration LEADERSHIP_INTERVAL = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final Database db;
    private final Database reads;
    private final ClusterBus bus;
    private final Leadership leadership;
    private final EventHub events;
    private final WriteWatchdog watchdog;
    private final AuditModule audit;
    private final UsersModule users;
    private final MetricsModule metrics;
    private final GdprModule gdpr;
    private final AlertsModule alerts;
    private final HealthModule health;
    private final BackupModule backups;
    private final WebServer webServer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-daily").daemon().factory());
    private volatile String instance;

    public StewardServer(ServerConfig config, Database db, Clock clock, AuthSettings authSettings) {
        this.config = config;
        this.db = db;
        var mapper = Json.mapper();
        // named now if configured, else host:port once the port is known (start)
        this.instance = config.instance().orElse(hostName() + ":" + config.port());
        this.reads = config.dbReadUrl()
                .map(url -> Database.connect(
                        new ConnectionSettings(
                                url, db.settings().user(), db.settings().password()),
                        null,
                        false))
                .orElse(db);
        this.bus = new ClusterBus(db.settings(), mapper);
        this.leadership = new Leadership(db.settings(), () -> instance, LEADERSHIP_INTERVAL);
        this.events = new EventHub(mapper);
        this.watchdog = new WriteWatchdog(Duration.ofSeconds(config.writeTimeoutSeconds()));
        var subjectKeys = new SubjectKeyRepository();
        this.audit = AuditModule.wire(config, db, subjectKeys, clock, mapper, () -> instance);
        AuditService auditService = audit.service();
        this.users = UsersModule.wire(db, reads, auditService, clock);

        // Observability runs on the wall clock: metrics, health and alerts are about real seconds
        // even when a test moves the business clock (deadlines, token expiry) around.
        Clock wall = Clock.systemUTC();
        this.metrics = MetricsModule.wire(
                db,
                auditService,
                clock,
                wall,
                new StandardSeries.Sources(
                        () -> databaseCheck()
                                .map(c -> c.status().equals("UP") ? 1.0 : 0.0)
                                .orElse(Double.NaN),
                        () -> databaseCheck().map(c -> (double) c.latencyMs()).orElse(Double.NaN),
                        events::clientCount,
                        events::droppedCount),
                events,
                () -> instance);
        // after the metrics have counted the commits: what the streams show is counted already
        audit.announce(events, bus);
        this.gdpr = GdprModule.wire(config, db, mapper, users.users(), subjectKeys, auditService, clock, bus);
        var sampler = metrics.sampler();
        this.alerts = AlertsModule.wire(
                config, db, auditService, wall, mapper, sampler, metrics.store(), events, bus, leadership);
        var auth = AuthModule.wire(db, users, auditService, authSettings, clock, sampler);
        sampler.gauge(
                new MetricSeries(
                        "cluster.messages.dropped",
                        "messages",
                        "Messages to the other instances not sent (queue full or database away), since start"),
                bus::droppedCount);
        this.health = HealthModule.wire(config, db, mapper, clock, wall, alerts.guards(), events);
        this.backups = BackupModule.wire(config, db, auditService, clock, sampler, metrics.metrics());

        var router = new Router(
                mapper,
                auth.service(),
                config.requestMetrics() ? metrics.metrics().requestObserver() : RequestObserver.NONE,
                config.metricsToken(),
                () -> instance,
                config.trustedProxies(),
                watchdog);
        health.register(router);
        metrics.register(router);
        new EventRoutes(events, auth.service(), config.maxStreams()).register(router);
        alerts.register(router);
        FlagsModule.wire(db, mapper, auditService, clock).register(router);
        auth.register(router);
        new SystemRoutes(
                        db,
                        clock,
                        () -> new SystemInfo.Cluster(
                                instance, leadership.isLeader(), reads == db ? null : reads.displayUrl()))
                .register(router);
        audit.register(router);
        gdpr.register(router);
        users.register(router);
        backups.register(router);
        ReportsModule.wire(db, reads, audit, backups.service(), gdpr.retentionPolicies(), clock)
                .register(router);
        if (!router.unbound().isEmpty()) {
            throw new IllegalStateException("routes of the contract without a handler: " + router.unbound());
        }
        this.webServer = webServer(config, router);
    }

    private static WebServer webServer(ServerConfig config, Router router) {
        HttpRouting.Builder routing = HttpRouting.builder();
        router.install(routing);
        DirectHandler direct = router.directHandler();
        var builder = WebServer.builder()
                .host(config.bind())
                .port(config.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .maxPayloadSize(Exchange.MAX_BODY_BYTES + 1024)
                .idleConnectionTimeout(Duration.ofMinutes(5))
                // an answer written in several pieces leaves at once, not when the client's delayed
                // ACK of the first piece (40 ms) lets Nagle's algorithm send the rest
                .connectionOptions(socket -> socket.tcpNoDelay(config.tcpNoDelay()))
                .directHandlers(d -> {
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        d.addHandler(type, direct);
                    }
                })
                .routing(routing);
        config.tlsKeystore().ifPresent(path -> builder.tls(tls(path, config.tlsPassword())));
        return builder.build();
    }

    private Optional<HealthReport.Check> databaseCheck() {
        return Optional.ofNullable(health.service().latest())
                .map(r -> r.checks().get("database"));
    }

    /** A scheduled task that logs its failure instead of silently ending its schedule. */
    private static Runnable quietly(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(StewardServer.class).warn("a scheduled task failed", e);
            }
        };
    }

    /** The backups, for the daily schedule's tests. */
    public BackupService backups() {
        return backups.service();
    }

    /** The audit chain's signed checkpoints (written every minute and at shutdown by itself). */
    public AuditCheckpoints auditCheckpoints() {
        return audit.checkpoints();
    }

    /** Account set-up that must happen before staff can sign in. */
    public StaffBootstrap staffBootstrap() {
        return users.staffBootstrap();
    }

    /** Starts listening; returns the actual port (useful with port 0). */
    public int start() {
        checkDatabaseRole();
        backups.service().recoverInterrupted();
        // an erasure the database lost (restored behind our back) is done again before anyone is served
        gdpr.erasureLedger().reconcile();
        webServer.start();
        if (config.instance().isEmpty()) {
            instance = hostName() + ":" + webServer.port();
        }
        bus.start();
        alerts.start();
        leadership.start();
        metrics.start();
        health.service().start(Duration.ofSeconds(config.healthIntervalSeconds()));
        // the daily jobs, checked every hour on the leader: storage limitation when the last run
        // is a day old, a backup when the newest backup is
        scheduler.scheduleAtFixedRate(quietly(this::dailyJobs), 1, 60, TimeUnit.MINUTES);
        // every instance keeps its copy of the erasure ledger file in step with the table
        scheduler.scheduleAtFixedRate(quietly(gdpr.erasureLedger()::maintain), 60, 60, TimeUnit.MINUTES);
        // the chain's head signed every minute, so a cut-off tail cannot go unseen for longer
        scheduler.scheduleAtFixedRate(quietly(audit.checkpoints()::write), 1, 1, TimeUnit.MINUTES);
        return webServer.port();
    }

    /**
     * Refuses to work as a database role that could change or delete audit entries, unless
     * {@code --allow-superuser} says to; with the owner's credentials, sets how long audit entries
     * are kept to {@code --retention audit_log=DAYS} (the retention function reads it there).
     */
    private void checkDatabaseRole() {
        var access = db.access();
        if (!access.historyProtected()) {
            String what = access.superuser()
                    ? "is a PostgreSQL superuser"
                    : "can change or delete audit entries (it owns the tables or holds UPDATE, DELETE or TRUNCATE on audit_log)";
            if (!config.allowSuperuser()) {
                throw new ServerConfig.InvalidOption("the database role " + access.role() + " " + what
                        + ": connect as the server's own role (docs/deploy/README.md), or start with"
                        + " --allow-superuser to accept that the audit trail is not protected from it");
            }
            LOG.warn("the database role {} {}; started with --allow-superuser", access.role(), what);
        }
        int auditDays = gdpr.retentionPolicies().stream()
                .filter(policy -> policy.table().equals("audit_log"))
                .mapToInt(RetentionService.Policy::days)
                .findFirst()
                .orElse(RetentionService.AUDIT_DAYS);
        if (db.ownerSettings().isPresent()) {
            db.asOwner(tx -> {
                new RetentionRepository().setAuditKeepDays(tx, auditDays);
                return null;
            });
        } else {
            int kept = db.read(new RetentionRepository()::auditKeepDays);
            if (kept != auditDays) {
                LOG.warn(
                        "the database keeps audit entries {} days; --retention audit_log={} is not applied without"
                                + " the owner's role (--db-owner-user)",
                        kept,
                        auditDays);
            }
        }
    }

    /**
     * What the leader does once a day, or on the restore drill's schedule (checked hourly); every
     * other instance leaves it alone.
     */
    public void dailyJobs() {
        if (!leadership.isLeader()) {
            return;
        }
        gdpr.retention().runScheduled();
        verifyWholeChain();
        backups.service().runScheduled();
        backups.service().runDrill();
    }

    /** The daily check of the whole audit chain, from its first entry; reports check only what is new. */
    private void verifyWholeChain() {
        var result = audit.service().verify(true);
        if (result.valid()) {
            LOG.info("audit chain intact: {} entries checked", result.checked());
        } else {
            LOG.error("the audit chain is not intact: {}", String.join("; ", result.problems()));
        }
    }

    /** This instance's name among those sharing the database. */
    public String instance() {
        return instance;
    }

    /** Whether this instance leads: evaluates the alert rules and runs the daily jobs. */
    public boolean leads() {
        return leadership.isLeader();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "steward";
        }
    }

    public String baseUrl() {
        String scheme = webServer.hasTls() ? "https" : "http";
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return scheme + "://" + host + ":" + webServer.port();
    }

    /** Stops accepting, lets in-flight requests finish (up to the grace period), then returns. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        // another instance takes over the alerts and the daily jobs at once
        leadership.close();
        bus.close();
        backups.service().close();
        gdpr.erasureLedger().close();
        metrics.sampler().close();
        health.service().close();
        metrics.platformStats().close();
        // live streams would otherwise hold the graceful stop for its whole grace period
        events.close();
        if (webServer.isRunning()) {
            webServer.stop();
            try {
                audit.checkpoints().write(); // the last entries this instance wrote are signed too
            } catch (RuntimeException e) {
                LOG.warn("no audit checkpoint at shutdown: {}", e.getMessage());
            }
        }
        watchdog.close();
        metrics.metrics().close();
        alerts.close();
        if (config.dbReadUrl().isPresent()) {
            reads.close();
        }
    }

    private static Tls tls(Path keystore, Optional<String> password) {
        char[] secret = password.orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return Tls.builder().sslContext(context).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerConfig.InvalidOption("cannot use the TLS keystore " + keystore + ": " + e.getMessage());
        }
    }
}
