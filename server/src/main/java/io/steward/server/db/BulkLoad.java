package io.steward.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Loading many rows into empty tables in one transaction, as PostgreSQL does it fastest: keys,
 * indexes and foreign keys taken off first and put back after the load. The demo seeder and the
 * backup restore use it.
 */
public final class BulkLoad {
    private BulkLoad() {}

    /** Loading settings for this transaction only: bulk work, one commit at the end. */
    public static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
            // index builds after the load sort in memory; GIN builds in particular gain from it
            s.execute("SET LOCAL maintenance_work_mem = '1GB'");
            s.execute("SET LOCAL work_mem = '64MB'");
        }
    }

    /**
     * Drops every index, primary key, unique constraint and foreign key on {@code tables} (and
     * every foreign key pointing at them) for a bulk load into empty tables, and returns the
     * statements that put them back, in order: keys, then indexes, then foreign keys. Building an
     * index once after the load is far cheaper than updating it per row, and re-adding a foreign
     * key checks all rows in one join. Run them before commit: the whole change is one
     * transaction, so nobody ever sees the tables without their constraints.
     */
    public static List<String> suspendConstraints(Connection connection, List<String> tables) throws SQLException {
        var keys = new ArrayList<String>();
        var indexes = new ArrayList<String>();
        var foreignKeys = new ArrayList<String>();
        var drops = new ArrayList<String>();
        var array = connection.createArrayOf("text", tables.toArray());
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype"
                        + " FROM pg_constraint c WHERE (c.contype = 'f' AND (c.conrelid::regclass::text = ANY (?)"
                        + " OR c.confrelid::regclass::text = ANY (?))) OR (c.contype IN ('p', 'u')"
                        + " AND c.conrelid::regclass::text = ANY (?)) ORDER BY c.contype = 'f' DESC, 1, 2")) {
            ps.setArray(1, array);
            ps.setArray(2, array);
            ps.setArray(3, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String name = quote(rs.getString(2));
                    drops.add("ALTER TABLE " + table + " DROP CONSTRAINT " + name);
                    String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + rs.getString(3);
                    (rs.getString(4).equals("f") ? foreignKeys : keys).add(add);
                }
            }
        }
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                        + " FROM pg_index i WHERE i.indrelid::regclass::text = ANY (?)"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
                        + " ORDER BY 1")) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drops.add("DROP INDEX " + rs.getString(1));
                    indexes.add(rs.getString(2));
                }
            }
        }
        execute(connection, drops);
        var restore = new ArrayList<String>(keys);
        restore.addAll(indexes);
        restore.addAll(foreignKeys);
        return restore;
    }

    /** Runs statements, e.g. those returned by {@link #suspendConstraints}. */
    public static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
