package io.steward.server.backup;

import io.steward.server.ServerConfig;
import io.steward.server.audit.AuditService;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import io.steward.server.db.Migrations;
import io.steward.server.db.Tx;
import io.steward.server.gdpr.ErasureLedger;
import io.steward.server.gdpr.ErasureLedgerRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code steward-server restore ARCHIVE [--force] [--erasure-ledger FILE] [--without-erasure-ledger]
 * [--allow-unencrypted] [server options]}: puts a backup into the server's database (the embedded one in the data folder,
 * or {@code --db-url}), which must be empty unless {@code --force} is given, checks every table
 * against the archive's manifest, brings the schema up to date, does again every erasure of the
 * erasure ledger the archive predates, and records the restore in the audit trail. Run it with the
 * server stopped.
 */
public final class RestoreCommand {
    /** Exit codes: done, failed, refused or misused. */
    public static final int OK = 0;

    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    public static final String USAGE = """
            Usage: steward-server restore ARCHIVE [--force] [--erasure-ledger FILE] [--without-erasure-ledger]
                   [--allow-unencrypted] [--data-dir DIR | --db-url URL --db-user U --db-password P] [--backup-dir DIR]
                   [--backup-key-file FILE]
              Restores a backup archive into the server's database, which must be empty;
              --force first removes everything in it. Stop the server before restoring.
              Every erasure in the erasure ledger (the backup folder's erasures.ledger, the one
              beside the archive, and --erasure-ledger FILE) that the archive predates is done
              again. Without a ledger at least as new as the archive the restore is refused
              unless --without-erasure-ledger is given (and recorded in the audit trail).
              An encrypted archive needs the key it was made with (DATA_DIR/backup-key, or
              --backup-key-file FILE). An archive of the older unencrypted format (steward-backup/1)
              is restored only with --allow-unencrypted: anyone could have written one.
            """;

    private RestoreCommand() {}

    /** What the command was asked to do. */
    private record Request(
            Path archive,
            boolean force,
            List<Path> ledgers,
            boolean withoutLedger,
            boolean allowUnencrypted,
            Path ledgerFile,
            Path keyFile) {}

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().startsWith("--")) {
            err.print(USAGE);
            return REFUSED;
        }
        Path archive = Path.of(args.getFirst());
        boolean force = false;
        boolean withoutLedger = false;
        boolean allowUnencrypted = false;
        var ledgers = new ArrayList<Path>();
        var serverArgs = new ArrayList<String>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--force" -> force = true;
                case "--without-erasure-ledger" -> withoutLedger = true;
                case "--allow-unencrypted" -> allowUnencrypted = true;
                case "--erasure-ledger" -> {
                    if (i + 1 >= args.size()) {
                        err.println("steward-server restore: --erasure-ledger needs a file");
                        err.print(USAGE);
                        return REFUSED;
                    }
                    ledgers.add(Path.of(args.get(++i)));
                }
                default -> serverArgs.add(arg);
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
        for (Path ledger : ledgers) {
            if (!Files.isRegularFile(ledger)) {
                err.println("steward-server restore: no such erasure ledger: " + ledger);
                return REFUSED;
            }
        }
        Path ledgerFile = config.backupDir().resolve(ErasureLedger.FILE_NAME);
        ledgers.add(ledgerFile);
        Path parent = archive.toAbsolutePath().getParent();
        if (parent != null) {
            ledgers.add(parent.resolve(ErasureLedger.FILE_NAME));
        }
        var request =
                new Request(archive, force, ledgers, withoutLedger, allowUnencrypted, ledgerFile, config.backupKey());
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
                try {
                    embedded = EmbeddedDatabase.start(config.dataDir());
                } catch (java.io.UncheckedIOException e) {
                    if (e.getCause() instanceof io.steward.server.db.PostgresBinaries.Refused refused) {
                        err.println("steward-server restore: " + refused.getMessage());
                        return REFUSED;
                    }
                    throw e;
                }
                // the whole schema is replaced; the server's next start gives it to the owner role
                target = embedded.superuser();
            } else {
                // the owner's, when given: the restored tables are then its own, as migrations make them
                target = config.dbOwnerUser()
                        .map(owner -> new ConnectionSettings(
                                config.dbUrl().orElseThrow(),
                                owner,
                                config.dbOwnerPassword().orElse("")))
                        .orElseGet(() -> new ConnectionSettings(
                                config.dbUrl().orElseThrow(),
                                config.dbUser().orElse(""),
                                config.dbPassword().orElse("")));
            }
            return restore(request, target, out, err);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int restore(Request request, ConnectionSettings target, PrintStream out, PrintStream err) {
        Path file = request.archive();
        try (var archive = new BackupArchive.Reader(file, request.keyFile())) {
            var manifest = archive.manifest();
            String warning = archive.warning();
            if (warning != null && !request.allowUnencrypted()) {
                err.println("steward-server restore: " + warning + ". Its contents are not authenticated either:"
                        + " anyone who could write the file could have changed them. Restore it only if you know"
                        + " where it came from, with --allow-unencrypted.");
                return REFUSED;
            }
            if (warning != null) {
                err.println("steward-server restore: warning: " + warning);
            }
            out.println("Archive " + file.getFileName() + ": backup " + manifest.backupId() + " of "
                    + manifest.createdAt() + ", schema version " + manifest.schemaVersion() + ", "
                    + manifest.tables().size() + " tables, " + manifest.rows() + " rows");
            boolean empty = empty(target);
            if (!empty && !request.force()) {
                err.println("steward-server restore: the target database is not empty;"
                        + " restore into an empty one, or add --force to replace everything in it");
                return REFUSED;
            }
            // every copy of the erasure ledger there is: the files, and the database about to be replaced
            var copies = new LinkedHashMap<String, List<ErasureLedger.Entry>>();
            for (Path ledger : request.ledgers()) {
                if (Files.isRegularFile(ledger)
                        && !copies.containsKey(ledger.toRealPath().toString())) {
                    copies.put(ledger.toRealPath().toString(), ErasureLedger.read(ledger));
                }
            }
            if (!empty) {
                copies.put("the database being replaced", tableLedger(target));
            }
            var head = Objects.requireNonNullElse(manifest.erasureLedger(), new BackupArchive.LedgerHead(0, null));
            boolean asNew = false;
            for (var copy : copies.entrySet()) {
                if (covers(copy.getValue(), head)) {
                    asNew = true;
                } else if (copy.getValue().size() >= head.entries()) {
                    throw new ErasureLedger.Broken(copy.getKey() + " is not this database's erasure ledger:"
                            + " its entry " + head.entries() + " differs from the archive's");
                }
            }
            var ledger = ErasureLedger.merge(copies.values());
            String ledgerState;
            if (asNew) {
                ledgerState = "checked";
                out.println("Erasure ledger: " + ledger.size() + " entr" + (ledger.size() == 1 ? "y" : "ies")
                        + " (archive: " + head.entries() + ") from " + String.join(", ", copies.keySet()));
            } else if (request.withoutLedger()) {
                ledgerState = "restored with --without-erasure-ledger: no ledger at least as new as the archive";
                out.println("--without-erasure-ledger: no erasure ledger at least as new as the archive was found;"
                        + " erasures completed after " + manifest.createdAt() + " that no ledger holds stay undone");
            } else {
                err.println("steward-server restore: no erasure ledger at least as new as the archive was found"
                        + " (looked for "
                        + String.join(
                                ", ",
                                request.ledgers().stream().map(Path::toString).toList())
                        + "). Erasures completed after the backup would come back. Give the ledger with"
                        + " --erasure-ledger FILE (erasures.ledger from the backup folder), or restore without it"
                        + " with --without-erasure-ledger (recorded in the audit trail).");
                return REFUSED;
            }
            if (!empty) {
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
            var written = new BackupArchive.Written(manifest, Files.size(file), archive.sha256());
            int replayed = Restorer.replayErasures(
                    target, ledger, "restore", (tx, audit) -> record(tx, audit, file, written, ledgerState));
            out.println("Erasures replayed: " + replayed
                    + (replayed == 0 ? " (the archive already reflects every erasure in the ledger)" : ""));
            // the restored database's ledger goes on in the backup folder's file
            ErasureLedger.append(request.ledgerFile(), tableLedger(target));
            out.println("Restored. Schema now at version " + Migrations.current(target) + ".");
            return OK;
        } catch (Restorer.Refused | BackupArchive.Damaged | BackupKey.Unusable | ErasureLedger.Broken e) {
            err.println("steward-server restore: " + e.getMessage());
            return e instanceof BackupArchive.Damaged ? FAILED : REFUSED;
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("steward-server restore: failed: " + e.getMessage());
            return FAILED;
        }
    }

    /** Whether {@code ledger} holds the archive's newest entry (every ledger holds none). */
    private static boolean covers(List<ErasureLedger.Entry> ledger, BackupArchive.LedgerHead head) {
        return head.entries() == 0
                || (ledger.size() >= head.entries()
                        && ledger.get(Math.toIntExact(head.entries() - 1))
                                .hash()
                                .equals(head.hash()));
    }

    /** The erasure ledger table of {@code target}; empty if it has none. */
    private static List<ErasureLedger.Entry> tableLedger(ConnectionSettings target) {
        try (var db = Database.connect(target.jdbcUrl(), target.user(), target.password(), false)) {
            boolean exists = db.read(tx -> {
                try (var statement = tx.connection().createStatement();
                        var rows = statement.executeQuery("SELECT to_regclass('erasure_ledger') IS NOT NULL")) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            });
            return exists ? db.read(new ErasureLedgerRepository()::all) : List.of();
        }
    }

    private static boolean empty(ConnectionSettings target) throws SQLException {
        try (Connection connection = target.open()) {
            return SchemaCatalog.tableCount(connection) == 0;
        }
    }

    /**
     * The restored trail gets an entry saying where its data came from and what became of the
     * erasure ledger, and the backup the archive holds, which was running when its snapshot was
     * taken, is recorded as the completed backup it is (with this file's size and SHA-256).
     */
    private static void record(Tx tx, AuditService audit, Path file, BackupArchive.Written written, String ledgerState)
            throws SQLException {
        var manifest = written.manifest();
        new BackupRepository()
                .complete(
                        tx,
                        manifest.backupId(),
                        manifest.createdAt(),
                        file.getFileName().toString(),
                        written);
        var details = new LinkedHashMap<String, Object>();
        details.put("backupId", manifest.backupId().toString());
        details.put("file", file.getFileName().toString());
        details.put("sha256", written.sha256());
        details.put("backupCreatedAt", manifest.createdAt().toString());
        details.put("schemaVersion", manifest.schemaVersion());
        details.put("tables", manifest.tables().size());
        details.put("rows", manifest.rows());
        details.put("erasureLedger", ledgerState);
        audit.record(tx, new AuditService.Event(null, "backup.restored", null, null, details));
    }
}
