package io.steward.server;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one server process is configured: command-line options first, then environment variables,
 * then defaults. Every option has an environment twin ({@code --port} / {@code STEWARD_PORT}).
 *
 * @param port TCP port; {@code 0} picks any free port
 * @param bind address to listen on; loopback unless told otherwise
 * @param dataDir where the embedded database, the initial admin password and backups live
 * @param dbUrl JDBC URL of an external PostgreSQL; absent means the embedded one
 * @param demoUsers number of demo platform users to seed; {@code 0} seeds nothing
 * @param backupDir where backup archives are written ({@code <data-dir>/backups} unless set)
 * @param backupKeep how many completed backups' archives are kept; older ones are removed
 * @param backupDaily whether the server makes a backup by itself when the newest is a day old
 * @param backupKeyFile the key backup archives are encrypted with, given by the operator; absent
 *     means {@code <data-dir>/backup-key}, made on first use (see {@link #backupKey()})
 * @param restoreDrill how often the leader proves the newest backup by a restore test; empty: never
 * @param instance this instance's name among several on one database (default: host:port)
 * @param dbReadUrl a read replica of the database, for reports and user searches
 * @param trustedProxies load balancers whose {@code X-Forwarded-For} names the client
 * @param tcpNoDelay whether accepted connections send each write at once ({@code TCP_NODELAY});
 *     off only to measure what it saves (docs/benchmarks.md)
 * @param writeTimeoutSeconds a response write blocked this long on a client that stopped reading
 *     ends its connection
 * @param maxStreams live event streams open at once on this instance
 * @param dbOwnerUser the role that owns the tables of {@code dbUrl} and runs the migrations; absent,
 *     the schema is only checked, not migrated, unless {@code dbUser} may migrate it itself
 * @param auditSigningKeyFile the Ed25519 key audit checkpoints are signed with; absent means
 *     {@code <data-dir>/audit-signing-key}, made on first use (see {@link #auditSigningKey()})
 * @param auditAnchorUrl where each signed audit checkpoint is also POSTed (a log collector, say)
 * @param allowSuperuser whether the server may work as a database role that can change or delete
 *     audit entries (a superuser, the tables' owner); refused otherwise
 */
public record ServerConfig(
        int port,
        String bind,
        Path dataDir,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        int demoUsers,
        Optional<Path> tlsKeystore,
        Optional<String> tlsPassword,
        Optional<String> adminEmail,
        Optional<String> adminPassword,
        java.util.List<String> gdprRecipients,
        Optional<String> retention,
        java.util.List<Dependency> dependencies,
        Optional<String> metricsToken,
        Optional<java.net.URI> alertWebhook,
        int healthIntervalSeconds,
        int breakerWaitSeconds,
        boolean requestMetrics,
        boolean tcpNoDelay,
        Path backupDir,
        int backupKeep,
        boolean backupDaily,
        Optional<Path> backupKeyFile,
        Optional<java.time.Duration> restoreDrill,
        Optional<String> instance,
        Optional<String> dbReadUrl,
        io.steward.server.http.TrustedProxies trustedProxies,
        int writeTimeoutSeconds,
        int maxStreams,
        Optional<String> dbOwnerUser,
        Optional<String> dbOwnerPassword,
        boolean allowSuperuser,
        Optional<Path> auditSigningKeyFile,
        Optional<java.net.URI> auditAnchorUrl) {

    /**
     * An HTTP service of the platform whose health Steward watches; its URL is called with any
     * user-info and query it has, and shown, stored and logged without them.
     */
    public record Dependency(String name, io.steward.server.outbound.ServiceUrl url) {
        @Override
        public String toString() {
            return name + "=" + url.shown();
        }
    }

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_DEMO_USERS = 10_000;

    /** Thrown for an option the server cannot start with; the message is meant for the operator. */
    public static final class InvalidOption extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidOption(String message) {
            super(message);
        }
    }

    public static final String USAGE = """
            Usage: steward-server [options]
                   steward-server restore ARCHIVE [options]       (restore --help)
                   steward-server verify-evidence PACK.zip [--public-key FILE]
              --port N              TCP port, 0 = any free port        (STEWARD_PORT, default 8080)
              --bind ADDR           address to listen on               (STEWARD_BIND, default 127.0.0.1)
              --data-dir DIR        data folder                        (STEWARD_DATA_DIR, default $XDG_DATA_HOME/steward)
              --db-url JDBC_URL     external PostgreSQL                (STEWARD_DB_URL, default: embedded PostgreSQL)
              --db-user USER        user for --db-url                  (STEWARD_DB_USER)
              --db-password PW      password for --db-url              (STEWARD_DB_PASSWORD)
              --db-owner-user USER  the role owning the tables, which migrates them
                                    (STEWARD_DB_OWNER_USER; docs/deploy/README.md)
              --db-owner-password PW  its password                     (STEWARD_DB_OWNER_PASSWORD)
              --audit-signing-key-file F  the Ed25519 key audit checkpoints are signed with
                                    (STEWARD_AUDIT_SIGNING_KEY_FILE, default DATA_DIR/audit-signing-key,
                                    made on first use); instances sharing a database share it
              --audit-anchor-url URL  POST each signed audit checkpoint here too
                                    (STEWARD_AUDIT_ANCHOR_URL)
              --allow-superuser     work as a database role that could change the audit trail
                                    (a superuser or the owner); refused without this
                                    (STEWARD_ALLOW_SUPERUSER, default off)
              --demo[=N]            seed N demo platform users         (STEWARD_DEMO, default N = 10000)
              --tls-keystore FILE   serve HTTPS with this PKCS#12 store (STEWARD_TLS_KEYSTORE)
              --tls-password PW     the keystore's password            (STEWARD_TLS_PASSWORD)
              --gdpr-recipients L   comma-separated recipients of personal data to notify of
                                    rectification, erasure, restriction (STEWARD_GDPR_RECIPIENTS)
              --retention SPEC      days to keep, e.g. audit_log=2555,user_sessions=365,
                                    email_logs=730,login_attempts=365 (STEWARD_RETENTION)
              --dependencies L      the platform's services to watch, name=url,...; user-info is
                                    sent as Basic credentials, and user-info, query and fragment
                                    are never shown, stored or logged (STEWARD_DEPENDENCIES)
              --metrics-token T     a token Prometheus may scrape /metrics with, besides
                                    staff tokens (STEWARD_METRICS_TOKEN)
              --alert-webhook URL   POST firing and resolved alerts here (STEWARD_ALERT_WEBHOOK)
              --health-interval S   seconds between health checks   (STEWARD_HEALTH_INTERVAL, default 5)
              --breaker-wait S      seconds an open circuit breaker waits before trying a
                                    failing dependency again (STEWARD_BREAKER_WAIT, default 30)
              --request-metrics B   time every request, on|off      (STEWARD_REQUEST_METRICS, default on)
              --tcp-nodelay B       send answers without waiting on the client's ACKs, on|off
                                    (STEWARD_TCP_NODELAY, default on; off only to measure it)
              --backup-dir DIR      where backup archives go       (STEWARD_BACKUP_DIR, default DATA_DIR/backups)
              --backup-keep N       completed backups kept on disk  (STEWARD_BACKUP_KEEP, default 7)
              --backup-daily B      a backup every day, on|off      (STEWARD_BACKUP_DAILY, default on)
              --backup-key-file F   the key archives are encrypted with: 32 bytes in base64
                                    (STEWARD_BACKUP_KEY_FILE, default DATA_DIR/backup-key,
                                    made on first use); instances sharing backups share it
              --restore-drill D     how often the newest backup is proven by a restore test:
                                    7d, 24h, 30m… or off (STEWARD_RESTORE_DRILL, default 7d)
              --instance NAME       this instance's name when several share the database
                                    (STEWARD_INSTANCE, default host:port)
              --db-read-url URL     a read replica of --db-url for reports and user searches,
                                    same user and password (STEWARD_DB_READ_URL)
              --trusted-proxies L   load balancers whose X-Forwarded-For names the client:
                                    addresses or networks, e.g. 10.0.0.0/8 (STEWARD_TRUSTED_PROXIES)
              --write-timeout S     seconds a response may wait on a client that stopped reading
                                    before its connection is closed (STEWARD_WRITE_TIMEOUT, default 30)
              --max-streams N       live event streams open at once (STEWARD_MAX_STREAMS, default 200;
                                    4 per staff member)
              --version             print the version
              --help                print this text
            First-start admin account: STEWARD_ADMIN_EMAIL / STEWARD_ADMIN_PASSWORD.
            """;

    /**
     * Reads the configuration.
     *
     * @throws InvalidOption when an option is unknown or its value unusable
     */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        var options = new java.util.HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new InvalidOption("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("demo")) {
                value = Integer.toString(DEFAULT_DEMO_USERS);
            } else if (name.equals("allow-superuser")) {
                value = "on";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new InvalidOption("option --" + name + " needs a value");
            }
            String envName = "STEWARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (!KNOWN.contains(envName)) {
                throw new InvalidOption("unknown option --" + name);
            }
            options.put(envName, value);
        }
        java.util.function.Function<String, @Nullable String> get = key -> {
            String v = options.get(key);
            if (v == null) {
                v = env.get(key);
            }
            return v == null || v.isBlank() ? null : v.trim();
        };

        int port = intOption("port", get.apply("STEWARD_PORT"), DEFAULT_PORT, 0, 65_535);
        String bind = Optional.ofNullable(get.apply("STEWARD_BIND")).orElse(DEFAULT_BIND);
        Path dataDir =
                Optional.ofNullable(get.apply("STEWARD_DATA_DIR")).map(Path::of).orElseGet(() -> defaultDataDir(env));
        String demoRaw = get.apply("STEWARD_DEMO");
        int demo = 0;
        if (demoRaw != null) {
            demo = demoRaw.equalsIgnoreCase("true")
                    ? DEFAULT_DEMO_USERS
                    : intOption("demo", demoRaw, DEFAULT_DEMO_USERS, 0, 10_000_000);
        }
        if (get.apply("STEWARD_DB_OWNER_USER") != null && get.apply("STEWARD_DB_URL") == null) {
            throw new InvalidOption("--db-owner-user is for --db-url; the embedded PostgreSQL makes its own roles");
        }
        if (get.apply("STEWARD_DB_READ_URL") != null && get.apply("STEWARD_DB_URL") == null) {
            throw new InvalidOption("--db-read-url is a replica of --db-url; give --db-url too");
        }
        return new ServerConfig(
                port,
                bind,
                dataDir.toAbsolutePath().normalize(),
                Optional.ofNullable(get.apply("STEWARD_DB_URL")),
                Optional.ofNullable(get.apply("STEWARD_DB_USER")),
                Optional.ofNullable(get.apply("STEWARD_DB_PASSWORD")),
                demo,
                Optional.ofNullable(get.apply("STEWARD_TLS_KEYSTORE")).map(Path::of),
                Optional.ofNullable(get.apply("STEWARD_TLS_PASSWORD")),
                Optional.ofNullable(get.apply("STEWARD_ADMIN_EMAIL")),
                Optional.ofNullable(get.apply("STEWARD_ADMIN_PASSWORD")),
                Optional.ofNullable(get.apply("STEWARD_GDPR_RECIPIENTS"))
                        .map(list -> java.util.Arrays.stream(list.split(","))
                                .map(String::strip)
                                .filter(name -> !name.isEmpty())
                                .distinct()
                                .toList())
                        .orElse(java.util.List.of()),
                Optional.ofNullable(get.apply("STEWARD_RETENTION")),
                dependencies(get.apply("STEWARD_DEPENDENCIES")),
                Optional.ofNullable(get.apply("STEWARD_METRICS_TOKEN")),
                Optional.ofNullable(get.apply("STEWARD_ALERT_WEBHOOK")).map(url -> httpUrl("alert-webhook", url)),
                intOption("health-interval", get.apply("STEWARD_HEALTH_INTERVAL"), 5, 1, 3_600),
                intOption("breaker-wait", get.apply("STEWARD_BREAKER_WAIT"), 30, 1, 3_600),
                onOff("request-metrics", get.apply("STEWARD_REQUEST_METRICS")),
                onOff("tcp-nodelay", get.apply("STEWARD_TCP_NODELAY")),
                Optional.ofNullable(get.apply("STEWARD_BACKUP_DIR"))
                        .map(Path::of)
                        .orElseGet(() -> dataDir.resolve("backups"))
                        .toAbsolutePath()
                        .normalize(),
                intOption("backup-keep", get.apply("STEWARD_BACKUP_KEEP"), 7, 1, 1_000),
                onOff("backup-daily", get.apply("STEWARD_BACKUP_DAILY")),
                Optional.ofNullable(get.apply("STEWARD_BACKUP_KEY_FILE"))
                        .map(file -> Path.of(file).toAbsolutePath().normalize()),
                drill(get.apply("STEWARD_RESTORE_DRILL")),
                Optional.ofNullable(get.apply("STEWARD_INSTANCE")).map(ServerConfig::instanceName),
                Optional.ofNullable(get.apply("STEWARD_DB_READ_URL")),
                trustedProxies(get.apply("STEWARD_TRUSTED_PROXIES")),
                intOption("write-timeout", get.apply("STEWARD_WRITE_TIMEOUT"), 30, 1, 3_600),
                intOption("max-streams", get.apply("STEWARD_MAX_STREAMS"), 200, 1, 100_000),
                Optional.ofNullable(get.apply("STEWARD_DB_OWNER_USER")),
                Optional.ofNullable(get.apply("STEWARD_DB_OWNER_PASSWORD")),
                get.apply("STEWARD_ALLOW_SUPERUSER") != null
                        && onOff("allow-superuser", get.apply("STEWARD_ALLOW_SUPERUSER")),
                Optional.ofNullable(get.apply("STEWARD_AUDIT_SIGNING_KEY_FILE"))
                        .map(file -> Path.of(file).toAbsolutePath().normalize()),
                Optional.ofNullable(get.apply("STEWARD_AUDIT_ANCHOR_URL"))
                        .map(url -> httpUrl("audit-anchor-url", url)));
    }

    private static java.util.List<Dependency> dependencies(@Nullable String raw) {
        if (raw == null) {
            return java.util.List.of();
        }
        var list = new java.util.ArrayList<Dependency>();
        for (String item : raw.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
                throw new InvalidOption("--dependencies wants name=url pairs with names of lower-case letters, digits,"
                        + " - and _; got " + entry);
            }
            if (list.stream().anyMatch(d -> d.name().equals(name))) {
                throw new InvalidOption("--dependencies names " + name + " twice");
            }
            list.add(new Dependency(
                    name,
                    new io.steward.server.outbound.ServiceUrl(
                            httpUrl("dependencies", entry.substring(eq + 1).strip()))));
        }
        return java.util.List.copyOf(list);
    }

    private static java.net.URI httpUrl(String option, String raw) {
        try {
            var uri = new java.net.URI(raw);
            if (uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new InvalidOption("--" + option + " wants an http:// or https:// URL, got "
                        + io.steward.server.outbound.ServiceUrl.shown(raw));
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new InvalidOption("--" + option + " wants an http:// or https:// URL, got "
                    + io.steward.server.outbound.ServiceUrl.shown(raw));
        }
    }

    /** {@code off}, or a whole number of minutes, hours or days ({@code 30m}, {@code 24h}, {@code 7d}). */
    private static Optional<java.time.Duration> drill(@Nullable String raw) {
        if (raw == null) {
            return Optional.of(java.time.Duration.ofDays(7));
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return Optional.empty();
        }
        var m = java.util.regex.Pattern.compile("([0-9]{1,5})([mhd])").matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            throw new InvalidOption("--restore-drill must be off or a period such as 7d, 24h or 30m, got " + raw);
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "m" -> java.time.Duration.ofMinutes(n);
                    case "h" -> java.time.Duration.ofHours(n);
                    default -> java.time.Duration.ofDays(n);
                });
    }

    private static boolean onOff(String name, @Nullable String raw) {
        if (raw == null) {
            return true;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new InvalidOption("--" + name + " must be on or off, got " + raw);
        };
    }

    /** Secrets stay out of logs and error messages. */
    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", dbUrl="
                + dbUrl.orElse("(embedded)") + ", dbUser=" + dbUser.orElse("") + ", demoUsers=" + demoUsers
                + ", tls=" + tlsKeystore.isPresent() + ", adminEmail=" + adminEmail.orElse("") + ", dependencies="
                + dependencies.stream().map(Dependency::name).toList() + ", metricsToken="
                + (metricsToken.isPresent() ? "(set)" : "(none)") + ", alertWebhook=" + alertWebhook.isPresent()
                + "]";
    }

    /** The backup key's file: the one given, or {@code <data-dir>/backup-key}. */
    public Path backupKey() {
        return backupKeyFile.orElseGet(() -> dataDir.resolve("backup-key"));
    }

    /** The audit signing key's file: the one given, or {@code <data-dir>/audit-signing-key}. */
    public Path auditSigningKey() {
        return auditSigningKeyFile.orElseGet(() -> dataDir.resolve("audit-signing-key"));
    }

    /** True when the server runs its own PostgreSQL in the data folder. */
    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of(
            "STEWARD_PORT",
            "STEWARD_BIND",
            "STEWARD_DATA_DIR",
            "STEWARD_DB_URL",
            "STEWARD_DB_USER",
            "STEWARD_DB_PASSWORD",
            "STEWARD_BACKUP_KEY_FILE",
            "STEWARD_DEMO",
            "STEWARD_TLS_KEYSTORE",
            "STEWARD_TLS_PASSWORD",
            "STEWARD_GDPR_RECIPIENTS",
            "STEWARD_RETENTION",
            "STEWARD_DEPENDENCIES",
            "STEWARD_METRICS_TOKEN",
            "STEWARD_ALERT_WEBHOOK",
            "STEWARD_HEALTH_INTERVAL",
            "STEWARD_BREAKER_WAIT",
            "STEWARD_REQUEST_METRICS",
            "STEWARD_TCP_NODELAY",
            "STEWARD_BACKUP_DIR",
            "STEWARD_BACKUP_KEEP",
            "STEWARD_BACKUP_DAILY",
            "STEWARD_RESTORE_DRILL",
            "STEWARD_INSTANCE",
            "STEWARD_DB_READ_URL",
            "STEWARD_TRUSTED_PROXIES",
            "STEWARD_WRITE_TIMEOUT",
            "STEWARD_MAX_STREAMS",
            "STEWARD_DB_OWNER_USER",
            "STEWARD_DB_OWNER_PASSWORD",
            "STEWARD_ALLOW_SUPERUSER",
            "STEWARD_AUDIT_SIGNING_KEY_FILE",
            "STEWARD_AUDIT_ANCHOR_URL");

    private static io.steward.server.http.TrustedProxies trustedProxies(@Nullable String raw) {
        if (raw == null) {
            return io.steward.server.http.TrustedProxies.NONE;
        }
        try {
            return io.steward.server.http.TrustedProxies.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidOption("--trusted-proxies: " + e.getMessage());
        }
    }

    private static String instanceName(String raw) {
        if (!raw.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,62}")) {
            throw new InvalidOption("--instance wants up to 63 letters, digits, '.', '_', ':' and '-', got " + raw);
        }
        return raw;
    }

    private static int intOption(String name, @Nullable String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new InvalidOption("--" + name + " must be between " + min + " and " + max + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidOption("--" + name + " must be a whole number, got " + raw);
        }
    }

    private static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("steward");
    }
}
