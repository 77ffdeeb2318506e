package io.steward.server.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What PostgreSQL says about Steward's tables: columns, keys, identity columns, dependencies. */
final class SchemaCatalog {
    /** Flyway's own bookkeeping: a restore makes it by migrating, it is never copied. */
    static final String MIGRATION_HISTORY = "flyway_schema_history";

    private SchemaCatalog() {}

    /** One table and its columns in order. */
    record Table(String name, List<String> columns) {
        /**
         * The COPY that reads this table's data as the archive holds it: in the order of its file
         * (a plain heap scan, never parallel). A table loaded by a restore is read back in the order
         * it was loaded, so its export equals the archive's (see {@link #readInFileOrder}).
         */
        String copyOut(List<String> selected) {
            return "COPY " + quote(name) + " (" + columnList(selected) + ") TO STDOUT (FORMAT binary)";
        }
    }

    /**
     * Makes table scans on {@code connection} start at the beginning of the file, not wherever a
     * concurrent scan of the same table has got to (PostgreSQL's synchronized scans), so that
     * reading a table twice gives its rows in the same order.
     */
    static void readInFileOrder(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET synchronize_seqscans = off");
        }
    }

    /**
     * Every table of the current schema except the migration history, parents before the tables
     * that reference them (so a restore can load them in this order), ties by name.
     */
    static List<Table> tables(Connection connection) throws SQLException {
        var columns = new TreeMap<String, List<String>>();
        try (var statement = connection.prepareStatement("""
                        SELECT c.relname, a.attname
                          FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                         WHERE c.relkind IN ('r', 'p') AND c.relname <> ?
                         ORDER BY c.relname, a.attnum"""); ) {
            statement.setString(1, MIGRATION_HISTORY);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.computeIfAbsent(rows.getString(1), t -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
        }
        var parents = new TreeMap<String, TreeSet<String>>();
        try (var statement = connection.prepareStatement("""
                        SELECT c.relname, f.relname
                          FROM pg_constraint k
                          JOIN pg_class c ON c.oid = k.conrelid
                          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                          LEFT JOIN pg_class f ON f.oid = k.confrelid
                         WHERE k.contype = 'f'""");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                String table = rows.getString(1);
                if (!table.equals(rows.getString(2))) {
                    parents.computeIfAbsent(table, t -> new TreeSet<>()).add(rows.getString(2));
                }
            }
        }
        var ordered = new ArrayList<Table>();
        var placed = new TreeSet<String>();
        while (placed.size() < columns.size()) {
            boolean progress = false;
            for (Map.Entry<String, List<String>> table : columns.entrySet()) {
                String name = table.getKey();
                if (placed.contains(name)
                        || !placed.containsAll(parents.getOrDefault(name, new TreeSet<>()).stream()
                                .filter(columns::containsKey)
                                .toList())) {
                    continue;
                }
                ordered.add(new Table(name, table.getValue()));
                placed.add(name);
                progress = true;
            }
            if (!progress) {
                throw new IllegalStateException("the tables' foreign keys form a cycle: " + columns.keySet());
            }
        }
        return ordered;
    }

    /** The identity and serial columns of the current schema, as table → columns. */
    static Map<String, List<String>> generatedColumns(Connection connection) throws SQLException {
        var generated = new TreeMap<String, List<String>>();
        try (var statement = connection.prepareStatement("""
                        SELECT table_name, column_name FROM information_schema.columns
                         WHERE table_schema = current_schema()
                           AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
                         ORDER BY table_name, ordinal_position""");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                generated
                        .computeIfAbsent(rows.getString(1), t -> new ArrayList<>())
                        .add(rows.getString(2));
            }
        }
        return generated;
    }

    /** How many tables the current schema has (zero: an empty database). */
    static int tableCount(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
                var rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String columnList(List<String> columns) {
        return String.join(", ", columns.stream().map(SchemaCatalog::quote).toList());
    }
}
