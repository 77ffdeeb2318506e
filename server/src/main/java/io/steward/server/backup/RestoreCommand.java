package io.steward.server.backup;

import io.steward.server.ServerConfig;
import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.db.Migrations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code steward-server restore ARCHIVE [--force] [server options]}: puts a backup into the
 * server's database (the embedded one in the data folder, or {@code --db-url}), which must be
 * empty unless {@code --force} is given, checks every table against the archive's manifest, brings
 * the schema up to date and records the restore in the audit trail. Run it with the server stopped.
 */
public final class RestoreCommand {
    /** Exit codes: done, failed, refused or misused. */
    public static final int OK = 0;

    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    public static final String USAGE = """
            Usage: steward-server restore ARCHIVE [--force] [--data-dir DIR | --db-url URL --db-user U --db-password P]
              Restores a backup archive into the server's database, which must be empty;
              --force first removes everything in it. Stop the server before restoring.
            """;

    private RestoreCommand() {}

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().startsWith("--")) {
            err.print(USAGE);
            return REFUSED;
        }
        Path archive = Path.of(args.getFirst());
        boolean force = false;
        var serverArgs = new ArrayList<String>();
        for (String arg : args.subList(1, args.size())) {
            if (arg.equals("--force")) {
                force = true;
            } else {
                serverArgs.add(arg);
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(serverArgs.toArray(String[]::new), env);
        } catch (ServerConfig.InvalidOption e) {
            err.println("steward-server restore: " + e.getMessage());
            err.print(USAGE);
            return REFUSED;
        }
        if (!Files.isRegularFile(archive)) {
            err.println("steward-server restore: no such file: " + archive);
            return REFUSED;
        }
        EmbeddedDatabase embedded = null;
        try {
            ConnectionSettings target;
            if (config.embeddedDatabase()) {
                var running = EmbeddedDatabase.postmasterPid(config.dataDir())
                        .flatMap(ProcessHandle::of)
                        .filter(ProcessHandle::isAlive);
                if (running.isPresent()) {
                    err.println("steward-server restore: PostgreSQL (pid "
                            + running.get().pid() + ") is running in " + config.dataDir() + ": stop the server first");
                    return REFUSED;
                }
                embedded = EmbeddedDatabase.start(config.dataDir());
                target = new ConnectionSettings(embedded.jdbcUrl(), embedded.user(), embedded.password());
            } else {
                target = new ConnectionSettings(
                        config.dbUrl().orElseThrow(),
                        config.dbUser().orElse(""),
                        config.dbPassword().orElse(""));
            }
            return restore(archive, target, force, out, err);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int restore(Path file, ConnectionSettings target, boolean force, PrintStream out, PrintStream err) {
        try (var archive = new BackupArchive.Reader(file)) {
            var manifest = archive.manifest();
            out.println("Archive " + file.getFileName() + ": backup " + manifest.backupId() + " of "
                    + manifest.createdAt() + ", schema version " + manifest.schemaVersion() + ", "
                    + manifest.tables().size() + " tables, " + manifest.rows() + " rows");
            if (!empty(target)) {
                if (!force) {
                    err.println("steward-server restore: the target database is not empty;"
                            + " restore into an empty one, or add --force to replace everything in it");
                    return REFUSED;
                }
                out.println("--force: removing everything in the target database");
                Restorer.wipe(target);
            }
            var checks = Restorer.restore(archive, target, true);
            boolean ok = true;
            for (var check : checks) {
                boolean tableOk = check.rows() == check.expectedRows() && check.checksumMatches();
                ok &= tableOk;
                out.printf(
                        "  %-26s %10d rows  %s%n",
                        check.name(),
                        check.rows(),
                        tableOk ? "ok" : "MISMATCH (archive: " + check.expectedRows() + " rows)");
            }
            if (!ok) {
                err.println("steward-server restore: the restored data does not match the archive");
                return FAILED;
            }
            record(target, file, manifest);
            out.println("Restored. Schema now at version " + Migrations.current(target) + ".");
            return OK;
        } catch (Restorer.Refused | BackupArchive.Damaged e) {
            err.println("steward-server restore: " + e.getMessage());
            return e instanceof Restorer.Refused ? REFUSED : FAILED;
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("steward-server restore: failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static boolean empty(ConnectionSettings target) throws SQLException {
        try (Connection connection = target.open()) {
            return SchemaCatalog.tableCount(connection) == 0;
        }
    }

    /**
     * The restored trail gets an entry saying where its data came from, and the backup the archive
     * holds, which was running when its snapshot was taken, is recorded as the completed backup it
     * is (with this file's size and SHA-256).
     */
    private static void record(ConnectionSettings target, Path file, BackupArchive.Manifest manifest)
            throws IOException {
        var written = new BackupArchive.Written(manifest, Files.size(file), BackupArchive.sha256(file));
        try (var db = Database.connect(target.jdbcUrl(), target.user(), target.password(), false)) {
            var audit = new AuditService(db, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC());
            db.inTransaction(tx -> {
                new BackupRepository()
                        .complete(
                                tx,
                                manifest.backupId(),
                                manifest.createdAt(),
                                file.getFileName().toString(),
                                written);
                return audit.record(
                        tx,
                        new AuditService.Event(
                                null,
                                "backup.restored",
                                null,
                                null,
                                Map.of(
                                        "backupId", manifest.backupId().toString(),
                                        "file", file.getFileName().toString(),
                                        "sha256", written.sha256(),
                                        "backupCreatedAt", manifest.createdAt().toString(),
                                        "schemaVersion", manifest.schemaVersion(),
                                        "tables", manifest.tables().size(),
                                        "rows", manifest.rows())));
            });
        }
    }
}
