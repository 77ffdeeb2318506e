package io.steward.server.testsupport;

import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.db.DatabaseRoles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM, started on first use; every test class gets a database of
 * its own, migrated by the production code path.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {}

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .start();
                try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                    DatabaseRoles.create(c, ROLE_PASSWORD, ROLE_PASSWORD);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return postgres;
    }

    /** The owner's and the server role's password on the test PostgreSQL. */
    public static final String ROLE_PASSWORD = "test-role-password";

    /** Creates an empty database, owned by the owner role as production's are, and returns its name. */
    public static String createEmpty(String hint) {
        String name = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name + " OWNER " + DatabaseRoles.OWNER);
        return name;
    }

    /** Creates a database and opens it through {@link Database#open}, migrations included. */
    public static Database fresh(String hint) {
        return open(createEmpty(hint));
    }

    /** Opens it as the server does: its pool as the server role, migrated as the owner. */
    public static Database open(String name) {
        return Database.open(server(name), owner(name), false);
    }

    /** A pool on it as the owner (the demo's bulk loads), migrations included. */
    public static Database openAsOwner(String name) {
        return Database.open(owner(name), null, false);
    }

    public static ConnectionSettings server(String name) {
        return new ConnectionSettings(jdbcUrl(name), DatabaseRoles.SERVER, ROLE_PASSWORD);
    }

    public static ConnectionSettings owner(String name) {
        return new ConnectionSettings(jdbcUrl(name), DatabaseRoles.OWNER, ROLE_PASSWORD);
    }

    /**
     * A server process's options for database {@code name} (as the server role, migrating as the
     * owner), followed by {@code more}.
     */
    public static String[] serverOptions(String name, String... more) {
        var options = new java.util.ArrayList<>(java.util.List.of(
                "--db-url",
                jdbcUrl(name),
                "--db-user",
                DatabaseRoles.SERVER,
                "--db-password",
                ROLE_PASSWORD,
                "--db-owner-user",
                DatabaseRoles.OWNER,
                "--db-owner-password",
                ROLE_PASSWORD));
        options.addAll(java.util.List.of(more));
        return options.toArray(String[]::new);
    }

    /** JDBC URL of database {@code name}, without a user. */
    public static String jdbcUrl(String name) {
        return postgres().getJdbcUrl("postgres", name).replaceAll("[?&]user=[^&]*", "");
    }

    /** Seeds {@code users} demo users into {@code db}, as the owner (its bulk load drops and builds indexes). */
    public static io.steward.server.demo.DemoService.Summary seedDemo(Database db, java.time.Clock clock, int users) {
        try (Database owner = asOwner(db)) {
            return new io.steward.server.demo.DemoService(owner, new io.steward.server.demo.DemoRepository(), clock)
                    .seed(users);
        }
    }

    /** A pool on {@code db}'s database signed in as its owner. */
    public static Database asOwner(Database db) {
        return Database.connect(db.ownerSettings().orElseThrow(), null, db.embedded());
    }

    /**
     * Runs {@code sql} as the tables' owner, in a transaction of its own: what a hostile operator
     * with the owner's credentials could do, or a test setting up what the server may not.
     */
    public static void asOwner(Database db, String sql) {
        db.asOwner(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    /** The first column of every row {@code sql} returns, as text. */
    public static java.util.List<String> strings(Database db, String sql) {
        return db.read(tx -> {
            try (Statement s = tx.connection().createStatement();
                    var rs = s.executeQuery(sql)) {
                var out = new java.util.ArrayList<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    /** Runs {@code sql} in a transaction of its own, as the platform or an old version would have. */
    public static void execute(Database db, String sql) {
        db.inTransaction(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    /** Every table, every column, as text: which tables of {@code db} still hold {@code value}? */
    public static java.util.List<String> tablesContaining(Database db, String value) {
        return db.read(tx -> {
            var tables = new java.util.ArrayList<String>();
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                            + " AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            var found = new java.util.ArrayList<String>();
            for (String table : tables) {
                try (var ps = tx.connection()
                        .prepareStatement(
                                "SELECT count(*) FROM " + table + " t WHERE position(lower(?) in lower(t::text)) > 0"
                                        + " OR position(lower(?) in lower(encode(convert_to(t::text, 'UTF8'), 'escape'))) > 0")) {
                    ps.setString(1, value);
                    ps.setString(2, value);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(table);
                        }
                    }
                }
            }
            return found;
        });
    }

    /** The first column of the first row {@code sql} returns, as the superuser in the maintenance database. */
    public static String superuserString(String sql) {
        try (Connection c = postgres().getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one statement as superuser in the maintenance database. */
    public static void admin(String sql) {
        try (Connection c = postgres().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one statement as superuser in database {@code database}: what an operator would do there. */
    public static void adminIn(String database, String sql) {
        try (Connection c = postgres().getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The name of the database {@code db} uses. */
    public static String nameOf(Database db) {
        String url = db.displayUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /**
     * Makes a database refuse connections and ends those it has, as an outage would; returns once
     * its backends are really gone. Undo with {@link #allowConnections}.
     */
    public static void refuseConnections(String name) {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        // termination is a signal: wait until the backends are really gone
        admin("DO $$ BEGIN FOR i IN 1..500 LOOP EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE datname = '" + name + "'); PERFORM pg_sleep(0.01); END LOOP; END $$");
    }

    public static void allowConnections(String name) {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }
}
