package io.steward.server.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a PostgreSQL database is and how to sign in to it: for the work that needs its own
 * connection outside the pool (a backup's long snapshot, a restore, a scratch database).
 */
public record ConnectionSettings(String jdbcUrl, String user, String password) {

    @Override
    public String toString() {
        // never the password
        return "ConnectionSettings[" + jdbcUrl.replaceAll("(?i)password=[^&]*", "password=***") + ", " + user + "]";
    }

    /** The same server and credentials, another database on it. */
    public ConnectionSettings withDatabase(String database) {
        int hosts = jdbcUrl.indexOf("//");
        if (hosts < 0) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host/database URL");
        }
        int slash = jdbcUrl.indexOf('/', hosts + 2);
        int query = jdbcUrl.indexOf('?', hosts + 2);
        String server = slash < 0 || (query >= 0 && query < slash)
                ? jdbcUrl.substring(0, query < 0 ? jdbcUrl.length() : query)
                : jdbcUrl.substring(0, slash);
        String parameters = query < 0 ? "" : jdbcUrl.substring(query);
        return new ConnectionSettings(server + "/" + database + parameters, user, password);
    }

    /** A new connection, not from any pool; the caller closes it. */
    public Connection open() throws SQLException {
        var properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "steward-server");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl, properties);
    }
}
