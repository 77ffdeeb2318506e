package io.steward.server;

import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.steward.server.alerts.AlertEvaluator;
import io.steward.server.alerts.AlertNotifier;
import io.steward.server.alerts.AlertRepository;
import io.steward.server.alerts.AlertRoutes;
import io.steward.server.alerts.AlertRules;
import io.steward.server.alerts.AlertService;
import io.steward.server.alerts.SilenceRepository;
import io.steward.server.alerts.Silences;
import io.steward.server.api.HealthReport;
import io.steward.server.api.MetricSeries;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditRoutes;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SigningKey;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.auth.AuthRoutes;
import io.steward.server.auth.AuthService;
import io.steward.server.auth.AuthSettings;
import io.steward.server.auth.LoginAttemptRepository;
import io.steward.server.backup.BackupRoutes;
import io.steward.server.backup.BackupService;
import io.steward.server.cluster.ClusterBus;
import io.steward.server.cluster.ClusterMessage;
import io.steward.server.cluster.Leadership;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.credentials.TokenRepository;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.events.EventRoutes;
import io.steward.server.flags.FlagRepository;
import io.steward.server.flags.FlagRoutes;
import io.steward.server.flags.FlagService;
import io.steward.server.gdpr.ErasureLedgerService;
import io.steward.server.gdpr.ErasureRepository;
import io.steward.server.gdpr.GdprRepository;
import io.steward.server.gdpr.GdprRoutes;
import io.steward.server.gdpr.GdprService;
import io.steward.server.gdpr.RetentionRepository;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.gdpr.SubjectDataRepository;
import io.steward.server.gdpr.SubjectExportService;
import io.steward.server.health.DependencyCheck;
import io.steward.server.health.HealthCheck;
import io.steward.server.health.HealthRepository;
import io.steward.server.health.HealthRoutes;
import io.steward.server.health.HealthService;
import io.steward.server.health.LocalChecks;
import io.steward.server.http.Exchange;
import io.steward.server.http.Json;
import io.steward.server.http.RequestObserver;
import io.steward.server.http.Router;
import io.steward.server.metrics.Metrics;
import io.steward.server.metrics.MetricsRoutes;
import io.steward.server.metrics.MetricsSampler;
import io.steward.server.metrics.PlatformStats;
import io.steward.server.metrics.PlatformStatsRepository;
import io.steward.server.metrics.SeriesStore;
import io.steward.server.metrics.StandardSeries;
import io.steward.server.outbound.Guard;
import io.steward.server.reports.EvidencePackService;
import io.steward.server.reports.ReportRoutes;
import io.steward.server.reports.ReportService;
import io.steward.server.system.SystemRoutes;
import io.steward.server.users.StaffBootstrap;
import io.steward.server.users.UserRepository;
import io.steward.server.users.UserRoutes;
import io.steward.server.users.UserService;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The server as an object: it takes its database, clock and limits in the constructor and
 * builds the real routing, so tests run exactly what production runs.
 */
public final class StewardServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StewardServer.class);
    private final ServerConfig config;
    private final WebServer webServer;
    private final StaffBootstrap staffBootstrap;
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(1);
    private static final Duration HEALTH_DB_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LEADERSHIP_INTERVAL = Duration.ofSeconds(1);

    private final Database db;
    private final AuditCheckpoints checkpoints;
    private final AuditService audit;
    private final RetentionService retention;
    private final List<RetentionService.Policy> retentionPolicies;
    private final BackupService backups;
    private final ErasureLedgerService erasureLedger;
    private final Metrics metrics;
    private final EventHub events;
    private final io.steward.server.http.WriteWatchdog watchdog;
    private final HealthService health;
    private final PlatformStats platformStats;
    private final MetricsSampler sampler;
    private final AlertEvaluator alerts;
    private final @Nullable AlertNotifier notifier;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-daily").daemon().factory());
    private final Database reads;
    private final ClusterBus bus;
    private final Leadership leadership;
    private volatile String instance;

    public StewardServer(ServerConfig config, Database db, Clock clock, AuthSettings authSettings) {
        this.config = config;
        this.db = db;
        var mapper = Json.mapper();
        // named now if configured, else host:port once the port is known (start)
        this.instance = config.instance().orElse(hostName() + ":" + config.port());
        this.reads = config.dbReadUrl()
                .map(url -> Database.connect(
                        new io.steward.server.db.ConnectionSettings(
                                url, db.settings().user(), db.settings().password()),
                        null,
                        false))
                .orElse(db);
        this.bus = new ClusterBus(db.settings(), mapper);
        this.leadership = new Leadership(db.settings(), () -> instance, LEADERSHIP_INTERVAL);
        var users = new UserRepository();
        var subjectKeys = new SubjectKeyRepository();
        SigningKey signingKey;
        try {
            signingKey = SigningKey.load(
                    config.auditSigningKey(), config.auditSigningKeyFile().isEmpty());
        } catch (IOException e) {
            throw new ServerConfig.InvalidOption(e.getMessage());
        }
        this.checkpoints = new AuditCheckpoints(
                db,
                signingKey,
                config.dataDir().resolve(AuditCheckpoints.FILE_NAME),
                config.auditAnchorUrl().orElse(null),
                () -> instance,
                Clock.systemUTC(),
                mapper);
        var audit = new AuditService(db, new AuditRepository(), subjectKeys, clock, checkpoints);
        this.audit = audit;
        this.erasureLedger = new ErasureLedgerService(
                db, config.backupDir().resolve(io.steward.server.gdpr.ErasureLedger.FILE_NAME), audit);
        var hasher = new PasswordHasher();
        var tokens = new TokenRepository();
        var auth = new AuthService(db, users, tokens, new LoginAttemptRepository(), audit, hasher, authSettings, clock);
        this.staffBootstrap = new StaffBootstrap(db, users, audit, hasher, clock);

        // Observability runs on the wall clock: metrics, health and alerts are about real seconds
        // even when a test moves the business clock (deadlines, token expiry) around.
        Clock wall = Clock.systemUTC();
        this.metrics = new Metrics();
        metrics.instrument(db);
        metrics.countBusinessEvents(audit);
        this.events = new EventHub(mapper);
        this.watchdog = new io.steward.server.http.WriteWatchdog(Duration.ofSeconds(config.writeTimeoutSeconds()));
        audit.onCommitted(recorded -> {
            var event = new ClusterMessage.AuditRecorded(
                    recorded.id(), recorded.event().action());
            events.publish("audit", event);
            bus.publish(event);
        });
        // what happens through another instance reaches the streams of this one
        bus.on(ClusterMessage.AuditRecorded.class, event -> {
            events.publish("audit", event);
            if ("gdpr.request_completed".equals(event.action())) {
                erasureLedger.mirrorSoon();
            }
        });
        var guards = new ArrayList<Guard>();
        this.notifier = config.alertWebhook()
                .map(url -> new AlertNotifier(
                        url,
                        new Guard(
                                "alert-webhook",
                                Guard.Settings.defaults()
                                        .withWaitInOpen(Duration.ofSeconds(config.breakerWaitSeconds()))),
                        mapper))
                .orElse(null);
        if (notifier != null) {
            guards.add(notifier.guard());
        }
        this.health = new HealthService(
                db, new HealthRepository(mapper), healthChecks(config, db, guards), guards, wall, HEALTH_CACHE);
        health.onChange(report -> events.publish("health", report));
        this.platformStats = new PlatformStats(db, new PlatformStatsRepository(), clock);
        platformStats.bindTo(metrics);
        var store = new SeriesStore();
        this.sampler = new MetricsSampler(store, wall);
        StandardSeries.declare(
                sampler,
                metrics,
                db,
                platformStats,
                new StandardSeries.Sources(
                        () -> databaseCheck()
                                .map(c -> c.status().equals("UP") ? 1.0 : 0.0)
                                .orElse(Double.NaN),
                        () -> databaseCheck().map(c -> (double) c.latencyMs()).orElse(Double.NaN),
                        events::clientCount,
                        events::droppedCount));
        var alertRepository = new AlertRepository();
        var silenceRepository = new SilenceRepository();
        this.alerts = new AlertEvaluator(db, alertRepository, silenceRepository, notifier);
        Runnable rulesChanged = () -> {
            alerts.reloadRules();
            bus.publish(new ClusterMessage.AlertRulesChanged());
        };
        var alertService = new AlertService(
                db,
                alertRepository,
                silenceRepository,
                wall,
                new AlertRules(
                        db, alertRepository, audit, wall, () -> java.util.Set.copyOf(store.names()), rulesChanged),
                new Silences(db, silenceRepository, alertRepository, audit, wall, rulesChanged));
        sampler.gauge(new MetricSeries("alerts.firing", "alerts", "Alerts firing now"), () -> alerts.firingCount());
        sampler.gauge(
                new MetricSeries(
                        "auth.accounts.targeted",
                        "accounts",
                        "Account names that failed to sign in more often than the per-account ceiling allows, from all"
                                + " addresses together, within the last address window"),
                auth::targetedAccounts);
        alerts.onChange((state, alert) -> {
            events.publish("alert", alert);
            bus.publish(new ClusterMessage.AlertChanged(alert));
        });
        bus.on(ClusterMessage.AlertRulesChanged.class, changed -> alerts.reloadRules());
        bus.on(ClusterMessage.AlertChanged.class, changed -> {
            events.publish("alert", changed.alert());
            alerts.heard(changed.alert());
        });
        bus.onReconnect(alerts::catchUp);
        // one instance evaluates the rules: the leader, picking up the open alerts where the last one left them
        leadership.onChange(alerts::lead);
        if (notifier != null) {
            sampler.gauge(
                    new MetricSeries(
                            "alerts.webhook.dropped",
                            "notifications",
                            "Alert notifications the webhook did not take (queue full, breaker open, or failed after"
                                    + " retries), since start"),
                    notifier::droppedCount);
        }
        sampler.gauge(
                new MetricSeries(
                        "cluster.messages.dropped",
                        "messages",
                        "Messages to the other instances not sent (queue full or database away), since start"),
                bus::droppedCount);
        sampler.onSample(snapshot -> events.publish("metrics", compact(snapshot, instance)));
        sampler.onSample(snapshot -> {
            if (leadership.isLeader()) {
                alerts.offer(snapshot);
            }
        });

        var router = new Router(
                mapper,
                auth,
                config.requestMetrics() ? metrics.requestObserver() : RequestObserver.NONE,
                config.metricsToken(),
                () -> instance,
                config.trustedProxies(),
                watchdog);
        new HealthRoutes(db, health, clock).register(router);
        new MetricsRoutes(metrics, sampler, store, wall).register(router);
        new EventRoutes(events, auth, config.maxStreams()).register(router);
        new AlertRoutes(alertService).register(router);
        new FlagRoutes(new FlagService(db, new FlagRepository(mapper), audit, clock)).register(router);
        new AuthRoutes(auth).register(router);
        new SystemRoutes(
                        db,
                        clock,
                        () -> new io.steward.server.api.SystemInfo.Cluster(
                                instance, leadership.isLeader(), reads == db ? null : reads.displayUrl()))
                .register(router);
        new AuditRoutes(audit, checkpoints).register(router);
        var exports = new SubjectExportService(db, new SubjectDataRepository(), audit, clock, mapper);
        var gdpr = new GdprService(
                db,
                new GdprRepository(),
                exports,
                new ErasureRepository(),
                erasureLedger,
                users,
                subjectKeys,
                audit,
                clock,
                config.gdprRecipients());
        List<RetentionService.Policy> policies;
        try {
            policies = RetentionService.parse(config.retention().orElse(RetentionService.DEFAULTS));
        } catch (IllegalArgumentException e) {
            throw new ServerConfig.InvalidOption(e.getMessage());
        }
        this.retentionPolicies = policies;
        this.retention = new RetentionService(db, new RetentionRepository(), audit, clock, policies);
        new GdprRoutes(gdpr, exports, retention).register(router);
        new UserRoutes(new UserService(db, reads, users, tokens, audit, hasher, clock)).register(router);
        this.backups = new BackupService(
                db,
                audit,
                clock,
                new BackupService.Settings(
                        config.backupDir(),
                        config.backupKeep(),
                        config.backupDaily(),
                        config.backupKey(),
                        config.backupKeyFile().isEmpty(),
                        config.restoreDrill()));
        new BackupRoutes(backups).register(router);
        var reports = new ReportService(db, reads, audit, checkpoints.key(), clock, policies);
        new ReportRoutes(reports, new EvidencePackService(reports, checkpoints, backups, db, audit, clock))
                .register(router);
        sampler.gauge(
                new MetricSeries("backup.unproven.days", "days", "Days since a restore test last proved a backup"),
                backups::unprovenDays);
        metrics.gauge(
                "steward.backup.last.completed.timestamp.seconds",
                "When the newest backup completed (Unix time)",
                backups::lastCompletedEpochSeconds);
        metrics.gauge(
                "steward.backup.last.verified.timestamp.seconds",
                "When a restore test last proved a backup (Unix time)",
                backups::lastVerifiedEpochSeconds);
        metrics.gauge(
                "steward.restore.drill.duration.seconds",
                "How long the last restore drill's restore took",
                backups::lastDrillSeconds);
        if (!router.unbound().isEmpty()) {
            throw new IllegalStateException("routes of the contract without a handler: " + router.unbound());
        }

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
        this.webServer = builder.build();
    }

    private static List<HealthCheck> healthChecks(ServerConfig config, Database db, List<Guard> guards) {
        var checks = new ArrayList<HealthCheck>();
        checks.add(LocalChecks.database(db, HEALTH_DB_TIMEOUT));
        if (db.embedded()) {
            checks.add(LocalChecks.embeddedProcess(config.dataDir()));
        }
        checks.add(LocalChecks.diskSpace(config.dataDir()));
        checks.add(LocalChecks.memory());
        if (config.dependencies().isEmpty()) {
            return checks;
        }
        // built only when needed: an HTTP client loads the TLS stack and the CA certificates
        var http = HttpClient.newBuilder()
                .connectTimeout(DependencyCheck.ATTEMPT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var settings = Guard.Settings.defaults().withWaitInOpen(Duration.ofSeconds(config.breakerWaitSeconds()));
        for (ServerConfig.Dependency dependency : config.dependencies()) {
            var guard = new Guard("dependency:" + dependency.name(), settings);
            guards.add(guard);
            checks.add(new DependencyCheck(dependency, guard, http));
        }
        return checks;
    }

    private Optional<HealthReport.Check> databaseCheck() {
        return Optional.ofNullable(health.latest()).map(r -> r.checks().get("database"));
    }

    /** The once-a-second stream event: every series' value, null where it has none, and who measured them. */
    private static Map<String, Object> compact(MetricsSampler.Snapshot snapshot, String instance) {
        var values = new LinkedHashMap<String, @Nullable Double>();
        snapshot.values().forEach((name, value) -> values.put(name, Double.isFinite(value) ? value : null));
        var event = new LinkedHashMap<String, Object>();
        event.put("at", snapshot.at());
        event.put("instance", instance);
        event.put("values", values);
        return event;
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
        return backups;
    }

    /** Account set-up that must happen before staff can sign in. */
    /** The audit chain's signed checkpoints (written every minute and at shutdown by itself). */
    public AuditCheckpoints auditCheckpoints() {
        return checkpoints;
    }

    public StaffBootstrap staffBootstrap() {
        return staffBootstrap;
    }

    /** Starts listening; returns the actual port (useful with port 0). */
    public int start() {
        checkDatabaseRole();
        backups.recoverInterrupted();
        // an erasure the database lost (restored behind our back) is done again before anyone is served
        erasureLedger.reconcile();
        webServer.start();
        if (config.instance().isEmpty()) {
            instance = hostName() + ":" + webServer.port();
        }
        bus.start();
        alerts.lead(false);
        leadership.start();
        platformStats.start();
        sampler.start();
        health.start(Duration.ofSeconds(config.healthIntervalSeconds()));
        // the daily jobs, checked every hour on the leader: storage limitation when the last run
        // is a day old, a backup when the newest backup is
        scheduler.scheduleAtFixedRate(quietly(this::dailyJobs), 1, 60, TimeUnit.MINUTES);
        // every instance keeps its copy of the erasure ledger file in step with the table
        scheduler.scheduleAtFixedRate(quietly(erasureLedger::maintain), 60, 60, TimeUnit.MINUTES);
        // the chain's head signed every minute, so a cut-off tail cannot go unseen for longer
        scheduler.scheduleAtFixedRate(quietly(checkpoints::write), 1, 1, TimeUnit.MINUTES);
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
        int auditDays = retentionPolicies.stream()
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
        retention.runScheduled();
        verifyWholeChain();
        backups.runScheduled();
        backups.runDrill();
    }

    /** The daily check of the whole audit chain, from its first entry; reports check only what is new. */
    private void verifyWholeChain() {
        var result = audit.verify(true);
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
        backups.close();
        erasureLedger.close();
        sampler.close();
        health.close();
        platformStats.close();
        // live streams would otherwise hold the graceful stop for its whole grace period
        events.close();
        if (webServer.isRunning()) {
            webServer.stop();
            try {
                checkpoints.write(); // the last entries this instance wrote are signed too
            } catch (RuntimeException e) {
                LOG.warn("no audit checkpoint at shutdown: {}", e.getMessage());
            }
        }
        watchdog.close();
        metrics.close();
        alerts.close();
        if (notifier != null) {
            notifier.close();
        }
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
