package io.steward.server.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What PostgreSQL says about Steward's tables: columns, keys, identity columns, dependencies. */
final class SchemaCatalog {
    /** Flyway's own bookkeeping: a restore makes it by migrating, it is never copied. */
    static final String MIGRATION_HISTORY = "flyway_schema_history";

    private SchemaCatalog() {}

    /**
     * One table: its columns in order, and the expressions that put its rows in one order (the
     * primary key; text compared byte-wise, so the order does not depend on the database's locale).
     */
    record Table(String name, List<String> columns, List<String> orderBy) {
        /** The query whose COPY output is this table's data in the archive, in a fixed order. */
        String orderedSelect(List<String> selected) {
            return "SELECT " + columnList(selected) + " FROM " + quote(name) + " ORDER BY "
                    + String.join(", ", orderBy);
        }
    }

    /**
     * Every table of the current schema except the migration history, parents before the tables
     * that reference them (so a restore can load them in this order), ties by name.
     */
    static List<Table> tables(Connection connection) throws SQLException {
        var columns = new TreeMap<String, List<String>>();
        var collatable = new java.util.HashSet<String>();
        try (var statement = connection.prepareStatement("""
                        SELECT c.relname, a.attname, a.attcollation <> 0
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
                    if (rows.getBoolean(3)) {
                        collatable.add(rows.getString(1) + "." + rows.getString(2));
                    }
                }
            }
        }
        var keys = new LinkedHashMap<String, List<String>>();
        var parents = new TreeMap<String, TreeSet<String>>();
        try (var statement = connection.prepareStatement("""
                        SELECT c.relname, k.contype, f.relname,
                               array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
                                       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                                      ORDER BY u.i)
                          FROM pg_constraint k
                          JOIN pg_class c ON c.oid = k.conrelid
                          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                          LEFT JOIN pg_class f ON f.oid = k.confrelid
                         WHERE k.contype IN ('p', 'f')""");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                String table = rows.getString(1);
                if (rows.getString(2).equals("p")) {
                    keys.put(table, List.of((String[]) rows.getArray(4).getArray()));
                } else if (!table.equals(rows.getString(3))) {
                    parents.computeIfAbsent(table, t -> new TreeSet<>()).add(rows.getString(3));
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
                // without a primary key every column orders the rows, so the data is still in one order
                List<String> order = keys.getOrDefault(name, table.getValue()).stream()
                        .map(column -> collatable.contains(name + "." + column)
                                ? quote(column) + " COLLATE \"C\""
                                : quote(column))
                        .toList();
                ordered.add(new Table(name, table.getValue(), order));
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
