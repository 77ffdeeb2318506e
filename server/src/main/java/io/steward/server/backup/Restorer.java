package io.steward.server.backup;

import io.steward.server.api.BackupVerification.TableCheck;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.BulkLoad;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.db.Migrations;
import io.steward.server.db.Tx;
import io.steward.server.gdpr.ErasureLedger;
import io.steward.server.gdpr.ErasureReplay;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Puts an archive's data into a database and checks it against the manifest. The same path serves
 * the restore test of every backup (into a scratch database) and a real restore.
 */
final class Restorer {
    /** Tables whose triggers refuse changes: the audit trail, the erasure ledger, the restore tests. */
    private static final java.util.Set<String> APPEND_ONLY =
            java.util.Set.of("audit_log", "erasure_ledger", "restore_tests");

    private Restorer() {}

    /** The target cannot take this archive (not empty, another schema version). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * Restores {@code archive} into {@code target}, which must have no tables: creates the schema at
     * the archive's version, loads every table in one transaction and compares what is now in the
     * database with the manifest; then, when {@code upgrade}, brings the schema up to this server's
     * newest version.
     */
    static List<TableCheck> restore(BackupArchive.Reader archive, ConnectionSettings target, boolean upgrade)
            throws IOException, SQLException, Refused {
        var manifest = archive.manifest();
        try (Connection connection = target.open()) {
            if (SchemaCatalog.tableCount(connection) > 0) {
                throw new Refused("the target database is not empty");
            }
        }
        try {
            Migrations.migrate(target, manifest.schemaVersion());
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new Refused(
                    "cannot create the schema at version " + manifest.schemaVersion() + ": " + e.getMessage());
        }
        String version = Migrations.current(target);
        if (!version.equals(manifest.schemaVersion())) {
            throw new Refused("the archive is at schema version " + manifest.schemaVersion()
                    + ", newer than this server's " + version + ": restore it with that Steward version or newer");
        }
        List<TableCheck> checks;
        try (Connection connection = target.open()) {
            connection.setAutoCommit(false);
            try {
                load(connection, archive);
                connection.commit();
            } catch (IOException | SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            connection.setAutoCommit(true);
            checks = compare(connection, manifest);
        }
        if (upgrade) {
            Migrations.migrate(target, null);
        }
        return checks;
    }

    /**
     * Empties {@code target} for a forced restore: drops its schema with every table in it and
     * makes it again, empty.
     */
    static void wipe(ConnectionSettings target) throws SQLException {
        try (Connection connection = target.open();
                var statement = connection.createStatement()) {
            String schema;
            try (var rows = statement.executeQuery("SELECT current_schema()")) {
                rows.next();
                schema = rows.getString(1);
            }
            if (schema == null) {
                return;
            }
            connection.setAutoCommit(false);
            statement.execute("DROP SCHEMA " + SchemaCatalog.quote(schema) + " CASCADE");
            statement.execute("CREATE SCHEMA " + SchemaCatalog.quote(schema));
            connection.commit();
        }
    }

    /**
     * Loads every table of the archive into {@code connection}'s database, in the caller's
     * transaction. The schema must be at the archive's version; rows the migrations put there
     * (the default alert rules) are replaced by the archive's.
     */
    static void load(Connection connection, BackupArchive.Reader archive) throws IOException, SQLException {
        var manifest = archive.manifest();
        Map<String, SchemaCatalog.Table> schema = byName(SchemaCatalog.tables(connection));
        SchemaCatalog.readInFileOrder(connection);
        for (BackupArchive.TableData table : manifest.tables()) {
            SchemaCatalog.Table existing = schema.get(table.name());
            if (existing == null || !existing.columns().containsAll(table.columns())) {
                throw new BackupArchive.Damaged("the archive's table " + table.name() + " does not fit schema version "
                        + manifest.schemaVersion());
            }
        }
        var missing = new java.util.TreeSet<>(schema.keySet());
        manifest.tables().forEach(table -> missing.remove(table.name()));
        if (!missing.isEmpty()) {
            throw new BackupArchive.Damaged("the archive has no data for table" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " of schema version " + manifest.schemaVersion());
        }
        try (var statement = connection.createStatement()) {
            // only what the migrations inserted is there; the append-only tables start empty and refuse
            // TRUNCATE. Truncated in this transaction, a table is loaded into a new file page after page
            // (PostgreSQL skips its free-space map), so its rows stay in archive order
            String others = schema.keySet().stream()
                    .filter(name -> !APPEND_ONLY.contains(name))
                    .map(SchemaCatalog::quote)
                    .collect(Collectors.joining(", "));
            if (!others.isEmpty()) {
                statement.execute("TRUNCATE " + others);
            }
        }
        // keys, indexes and foreign keys are built once after the load (far cheaper than per row)
        // and checked then; it is one transaction, so nobody sees the tables without them
        try (var statement = connection.createStatement()) {
            statement.execute("SET LOCAL maintenance_work_mem = '256MB'");
        }
        List<String> putBack = BulkLoad.suspendConstraints(
                connection,
                manifest.tables().stream().map(BackupArchive.TableData::name).toList());
        var copy = connection.unwrap(PGConnection.class).getCopyAPI();
        for (BackupArchive.TableData table : manifest.tables()) {
            try (BackupArchive.Checked data = archive.open(table)) {
                copy.copyIn(
                        "COPY " + SchemaCatalog.quote(table.name()) + " (" + SchemaCatalog.columnList(table.columns())
                                + ") FROM STDIN (FORMAT binary)",
                        data);
                data.verify();
            }
        }
        BulkLoad.execute(connection, putBack);
        // identity columns continue after the highest restored value
        for (var generated : SchemaCatalog.generatedColumns(connection).entrySet()) {
            for (String column : generated.getValue()) {
                String table = SchemaCatalog.quote(generated.getKey());
                try (var statement = connection.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?),"
                        + " coalesce((SELECT max(" + SchemaCatalog.quote(column) + ") FROM " + table + "), 0) + 1,"
                        + " false)")) {
                    statement.setString(1, table);
                    statement.setString(2, column);
                    statement.execute();
                }
            }
        }
    }

    /**
     * Counts each table's rows and hashes its data exported exactly as a backup does, and compares
     * both with the manifest.
     */
    static List<TableCheck> compare(Connection connection, BackupArchive.Manifest manifest) throws SQLException {
        Map<String, SchemaCatalog.Table> schema = byName(SchemaCatalog.tables(connection));
        SchemaCatalog.readInFileOrder(connection);
        var copy = connection.unwrap(PGConnection.class).getCopyAPI();
        var checks = new ArrayList<TableCheck>();
        for (BackupArchive.TableData table : manifest.tables()) {
            SchemaCatalog.Table existing = schema.get(table.name());
            if (existing == null) {
                checks.add(new TableCheck(table.name(), table.rows(), 0, false));
                continue;
            }
            long rows;
            try (var statement = connection.createStatement();
                    var result = statement.executeQuery("SELECT count(*) FROM " + SchemaCatalog.quote(table.name()))) {
                result.next();
                rows = result.getLong(1);
            }
            MessageDigest digest = BackupArchive.sha256();
            try (var out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                copy.copyOut(existing.copyOut(table.columns()), out);
            } catch (IOException e) {
                throw new SQLException("cannot read back table " + table.name(), e);
            }
            checks.add(new TableCheck(
                    table.name(), table.rows(), rows, BackupArchive.hex(digest).equals(table.sha256())));
        }
        return checks;
    }

    /**
     * Replays {@code ledger} into the restored database {@code target} ({@link ErasureReplay}), then
     * rewrites {@code subject_keys} so that the keys it destroyed leave the table's file; returns
     * how many erasures were done again. {@code alsoRecord} runs first in the replay's transaction.
     */
    static int replayErasures(
            ConnectionSettings target, List<ErasureLedger.Entry> ledger, String source, AlsoRecord alsoRecord) {
        try (var db = Database.connect(target.jdbcUrl(), target.user(), target.password(), false)) {
            var audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC());
            int replayed = db.inTransaction(tx -> {
                alsoRecord.run(tx, audit);
                return new ErasureReplay(audit).apply(tx, ledger, source);
            });
            if (replayed > 0) {
                db.outsideTransaction(tx -> {
                    new SubjectKeyRepository().shred(tx, Duration.ofMinutes(1));
                    return null;
                });
            }
            return replayed;
        }
    }

    /** What a restore records in the restored audit trail with its replay. */
    @FunctionalInterface
    interface AlsoRecord {
        void run(Tx tx, AuditService audit) throws SQLException;
    }

    private static Map<String, SchemaCatalog.Table> byName(List<SchemaCatalog.Table> tables) {
        return tables.stream().collect(Collectors.toMap(SchemaCatalog.Table::name, Function.identity()));
    }
}
