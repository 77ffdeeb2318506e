package io.steward.server.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/** Steward's schema migrations (Flyway), for the server's own database and for restores. */
public final class Migrations {
    private Migrations() {}

    static FluentConfiguration configure(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .validateOnMigrate(true)
                .cleanDisabled(true);
    }

    static FluentConfiguration configure(ConnectionSettings target) {
        return Flyway.configure()
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration")
                .validateOnMigrate(true)
                .cleanDisabled(true);
    }

    /**
     * Brings {@code target}'s schema to {@code version}, or to the newest one this server knows
     * when {@code version} is null.
     */
    public static void migrate(ConnectionSettings target, @Nullable String version) {
        var configuration = configure(target);
        if (version != null) {
            configuration.target(MigrationVersion.fromVersion(version));
        }
        configuration.load().migrate();
    }

    /** The schema version {@code target} is at ("0" when it has none). */
    public static String current(ConnectionSettings target) {
        var current = configure(target).load().info().current();
        return current == null ? "0" : current.getVersion().getVersion();
    }
}
