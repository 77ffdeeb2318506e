package io.steward.server;

import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditRoutes;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.auth.AuthRoutes;
import io.steward.server.auth.AuthService;
import io.steward.server.auth.AuthSettings;
import io.steward.server.auth.LoginAttemptRepository;
import io.steward.server.auth.PasswordHasher;
import io.steward.server.auth.TokenRepository;
import io.steward.server.db.Database;
import io.steward.server.gdpr.ErasureRepository;
import io.steward.server.gdpr.GdprRepository;
import io.steward.server.gdpr.GdprRoutes;
import io.steward.server.gdpr.GdprService;
import io.steward.server.gdpr.RetentionRepository;
import io.steward.server.gdpr.RetentionService;
import io.steward.server.gdpr.SubjectDataRepository;
import io.steward.server.gdpr.SubjectExportService;
import io.steward.server.health.HealthRoutes;
import io.steward.server.http.Exchange;
import io.steward.server.http.Json;
import io.steward.server.http.Router;
import io.steward.server.system.SystemRoutes;
import io.steward.server.users.StaffBootstrap;
import io.steward.server.users.UserRepository;
import io.steward.server.users.UserRoutes;
import io.steward.server.users.UserService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server as an object: it takes its database, clock and limits in the constructor and
 * builds the real routing, so tests run exactly what production runs.
 */
public final class StewardServer implements AutoCloseable {
    private final ServerConfig config;
    private final WebServer webServer;
    private final StaffBootstrap staffBootstrap;
    private final RetentionService retention;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-daily").daemon().factory());

    public StewardServer(ServerConfig config, Database db, Clock clock, AuthSettings authSettings) {
        this.config = config;
        var mapper = Json.mapper();
        var users = new UserRepository();
        var subjectKeys = new SubjectKeyRepository();
        var audit = new AuditService(db, new AuditRepository(), subjectKeys, clock);
        var hasher = new PasswordHasher();
        var tokens = new TokenRepository();
        var auth = new AuthService(db, users, tokens, new LoginAttemptRepository(), audit, hasher, authSettings, clock);
        this.staffBootstrap = new StaffBootstrap(db, users, audit, hasher, clock);

        var router = new Router(mapper, auth);
        new HealthRoutes(db, clock).register(router);
        new AuthRoutes(auth).register(router);
        new SystemRoutes(db, clock).register(router);
        new AuditRoutes(audit).register(router);
        var exports = new SubjectExportService(db, new SubjectDataRepository(), audit, clock, mapper);
        var gdpr = new GdprService(
                db,
                new GdprRepository(),
                exports,
                new ErasureRepository(),
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
        this.retention = new RetentionService(db, new RetentionRepository(), audit, clock, policies);
        new GdprRoutes(gdpr, exports, retention).register(router);
        new UserRoutes(new UserService(db, users, tokens, audit, hasher, clock)).register(router);

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
                .directHandlers(d -> {
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        d.addHandler(type, direct);
                    }
                })
                .routing(routing);
        config.tlsKeystore().ifPresent(path -> builder.tls(tls(path, config.tlsPassword())));
        this.webServer = builder.build();
    }

    /** Account set-up that must happen before staff can sign in. */
    public StaffBootstrap staffBootstrap() {
        return staffBootstrap;
    }

    /** Starts listening; returns the actual port (useful with port 0). */
    public int start() {
        webServer.start();
        // storage limitation runs by itself once a day (one instance at a time across a cluster)
        scheduler.scheduleAtFixedRate(retention::runScheduled, 1, 24, TimeUnit.HOURS);
        return webServer.port();
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
        if (webServer.isRunning()) {
            webServer.stop();
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
