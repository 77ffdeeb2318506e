package io.steward.server.backup;

import io.steward.server.access.Principal;
import io.steward.server.api.BackupAction;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.Page;
import io.steward.server.api.Permission;
import io.steward.server.api.RestoreDrillStatus;
import io.steward.server.api.RestoreTestView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.error.ServiceException;
import io.steward.server.files.PrivateFiles;
import io.steward.server.gdpr.ErasureLedger;
import io.steward.server.gdpr.ErasureLedgerRepository;
import io.steward.server.system.SystemRoutes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes backups in the background, one at a time, proves them by restoring each into a scratch
 * database, keeps the newest {@code keep} archives, and starts one by itself when the newest is a
 * day old.
 */
public final class BackupService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String PARTIAL_SUFFIX = ".partial";
    static final Duration SCHEDULE_INTERVAL = Duration.ofHours(24);
    private static final String STOPPED = "did not finish: the server stopped while it was being written";

    /**
     * Where archives go, how many to keep, whether the daily backup runs, the key they are
     * encrypted with (made in {@code keyFile} on first use when {@code makeKey}, else it must
     * exist), and how often the restore drill proves the newest backup (empty: never).
     */
    public record Settings(
            Path directory, int keep, boolean daily, Path keyFile, boolean makeKey, Optional<Duration> drill) {}

    /** How long the figures behind the backup metrics are reused before the database is asked again. */
    private static final Duration PROOF_CACHE = Duration.ofSeconds(10);

    private final Database db;
    private final BackupRepository repository = new BackupRepository();
    private final AuditService audit;
    private final Clock clock;
    private final Settings settings;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("steward-backup").daemon().factory());
    private final Semaphore verifying = new Semaphore(1);
    private final AtomicReference<@Nullable Connection> snapshot = new AtomicReference<>();
    private volatile @Nullable Future<?> running;
    private volatile boolean closed;
    private volatile @Nullable CachedProof proof;
    /** Moves on whenever a backup or restore test is recorded here, so that no older reading is kept. */
    private final java.util.concurrent.atomic.AtomicLong proofGeneration = new java.util.concurrent.atomic.AtomicLong();

    private record CachedProof(BackupRepository.Proof proof, long readAtNanos, long generation) {}

    public BackupService(Database db, AuditService audit, Clock clock, Settings settings) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Cleans up after a server that stopped during a backup: its row is marked failed and its
     * partial file removed. Call once at start, before anything else may start a backup.
     */
    public void recoverInterrupted() {
        List<UUID> interrupted = db.inTransaction(tx -> {
            var ids = repository.failRunning(tx, clock.instant(), STOPPED);
            for (UUID id : ids) {
                recordFailure(tx, id, STOPPED);
            }
            return ids;
        });
        if (!interrupted.isEmpty()) {
            LOG.warn("{} backup(s) were interrupted by a stop and are marked failed", interrupted.size());
        }
        if (Files.isDirectory(settings.directory())) {
            try (var files = Files.list(settings.directory())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(PARTIAL_SUFFIX))
                        .toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.warn("cannot clean up partial backup files in {}", settings.directory(), e);
            }
        }
    }

    /** Starts a backup in the background; 409 while another one is being written by this server. */
    public BackupView start(Principal actor, String requestId) {
        return begin(actor.userId(), "manual", requestId)
                .map(backup -> as(actor, backup))
                .orElseThrow(() ->
                        new ServiceException.Conflict("a backup is already being written; try when it has finished"));
    }

    /**
     * The daily backup: starts one when the newest running or completed backup is older than a day
     * (or there is none). Several instances may call this; one of them starts it.
     */
    public void runScheduled() {
        if (!settings.daily() || closed) {
            return;
        }
        Instant now = clock.instant();
        boolean due = db.inTransaction(tx -> repository.trySchedulerLock(tx)
                && repository
                        .newestStarted(tx)
                        .map(at -> !at.isAfter(now.minus(SCHEDULE_INTERVAL)))
                        .orElse(true));
        if (due) {
            begin(null, "scheduled", null);
        }
    }

    private synchronized java.util.Optional<BackupView> begin(
            @Nullable UUID actor, String trigger, @Nullable String requestId) {
        if (closed) {
            throw new ServiceException.Unavailable("the server is stopping");
        }
        Future<?> current = running;
        if (current != null && !current.isDone()) {
            return java.util.Optional.empty();
        }
        UUID id = UUID.randomUUID();
        Instant at = clock.instant();
        BackupView view = db.inTransaction(tx -> {
            repository.insertRunning(tx, id, trigger, at, actor);
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor,
                            "backup.started",
                            null,
                            requestId,
                            Map.of("backupId", id.toString(), "trigger", trigger)));
            return repository.find(tx, id).orElseThrow();
        });
        running = worker.submit(() -> write(id, at));
        return java.util.Optional.of(view);
    }

    /** Waits for the backup being written, if any (for the schedule's callers and tests). */
    public void awaitIdle(Duration timeout) throws Exception {
        Future<?> current = running;
        if (current != null) {
            current.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void write(UUID id, Instant createdAt) {
        Path directory = settings.directory();
        String fileName = "steward-backup-" + FILE_TIME.format(createdAt) + "-"
                + id.toString().substring(0, 8) + ".zip";
        Path partial = directory.resolve("." + fileName + PARTIAL_SUFFIX);
        try {
            PrivateFiles.folder(directory);
            BackupKey key = settings.makeKey()
                    ? BackupKey.loadOrCreate(settings.keyFile())
                    : BackupKey.load(settings.keyFile());
            BackupArchive.Written written;
            try (Connection connection = db.settings().open()) {
                snapshot.set(connection);
                if (closed) {
                    throw new IOException("the server is stopping");
                }
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
                SchemaCatalog.readInFileOrder(connection);
                var header = new BackupArchive.Manifest(
                        BackupArchive.FORMAT,
                        id,
                        createdAt,
                        db.schemaVersion(),
                        SystemRoutes.version(),
                        connection.getMetaData().getDatabaseProductVersion(),
                        List.of(),
                        ledgerHead(connection));
                written = BackupArchive.write(connection, SchemaCatalog.tables(connection), partial, header, key);
                connection.commit();
            } finally {
                snapshot.set(null);
            }
            Path archive = directory.resolve(fileName);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(directory);
            db.inTransaction(tx -> {
                repository.complete(tx, id, clock.instant(), fileName, written);
                audit.record(
                        tx,
                        new AuditService.Event(
                                null,
                                "backup.completed",
                                null,
                                null,
                                Map.of(
                                        "backupId", id.toString(),
                                        "file", fileName,
                                        "sizeBytes", written.sizeBytes(),
                                        "tables", written.manifest().tables().size(),
                                        "rows", written.manifest().rows(),
                                        "sha256", written.sha256())));
                return null;
            });
            proofGeneration.incrementAndGet();
            LOG.info("backup {} written: {} ({} bytes)", id, fileName, written.sizeBytes());
            prune();
        } catch (IOException | SQLException | RuntimeException e) {
            deleteQuietly(partial);
            String reason = closed ? STOPPED : failure(e);
            LOG.error("backup {} failed: {}", id, reason, e);
            try {
                db.inTransaction(tx -> {
                    repository.fail(tx, id, clock.instant(), reason);
                    recordFailure(tx, id, reason);
                    return null;
                });
            } catch (RuntimeException recordFailure) {
                // the next start marks it failed
                LOG.warn("cannot record that backup {} failed", id, recordFailure);
            }
        }
    }

    /** The erasure ledger's head in {@code snapshot}. */
    static BackupArchive.LedgerHead ledgerHead(Connection snapshot) throws SQLException {
        try (var statement = snapshot.createStatement();
                var rows = statement.executeQuery("SELECT seq, hash FROM erasure_ledger ORDER BY seq DESC LIMIT 1")) {
            return rows.next()
                    ? new BackupArchive.LedgerHead(rows.getLong(1), rows.getString(2))
                    : new BackupArchive.LedgerHead(0, null);
        }
    }

    private void recordFailure(io.steward.server.db.Tx tx, UUID id, String reason) throws SQLException {
        audit.record(
                tx,
                new AuditService.Event(
                        null, "backup.failed", null, null, Map.of("backupId", id.toString(), "reason", reason)));
    }

    /** Removes the archives beyond the newest {@code keep} completed ones; their rows stay. */
    void prune() {
        List<BackupView> kept = db.read(repository::kept);
        for (BackupView old : kept.subList(Math.min(settings.keep(), kept.size()), kept.size())) {
            try {
                if (old.fileName() != null) {
                    Files.deleteIfExists(settings.directory().resolve(old.fileName()));
                }
                db.inTransaction(tx -> {
                    repository.markPruned(tx, old.id(), clock.instant());
                    audit.record(
                            tx,
                            new AuditService.Event(
                                    null,
                                    "backup.pruned",
                                    null,
                                    null,
                                    Map.of(
                                            "backupId",
                                            old.id().toString(),
                                            "file",
                                            String.valueOf(old.fileName()),
                                            "keep",
                                            settings.keep())));
                    return null;
                });
            } catch (IOException e) {
                LOG.warn("cannot remove old backup {}", old.fileName(), e);
            }
        }
    }

    /** The backup as {@code reader} sees it: with the actions they may take on it now. */
    public BackupView get(Principal reader, UUID id) {
        return as(reader, find(id));
    }

    private BackupView find(UUID id) {
        return db.read(tx -> repository.find(tx, id))
                .orElseThrow(() -> new ServiceException.NotFound("no backup " + id));
    }

    /** Whether a restore test can prove {@code backup}: complete, and its archive still on disk. */
    static boolean verifiable(BackupView backup) {
        return backup.status() == BackupStatus.COMPLETED && backup.prunedAt() == null;
    }

    private static BackupView as(Principal reader, BackupView backup) {
        return backup.withActions(
                verifiable(backup) && Permission.BACKUPS_WRITE.allows(reader.role())
                        ? List.of(BackupAction.VERIFY)
                        : List.of());
    }

    public Page<BackupView> list(Principal reader, int limit, @Nullable Keyset after) {
        var rows = new ArrayList<>(db.read(tx -> repository.list(tx, limit + 1, after)));
        String next = null;
        if (rows.size() > limit) {
            rows.subList(limit, rows.size()).clear();
            BackupView last = rows.getLast();
            next = Keyset.of(last.createdAt(), last.id()).encode();
        }
        return new Page<>(rows.stream().map(b -> as(reader, b)).toList(), next);
    }

    /**
     * Restores the backup into a scratch database made for the purpose, compares every table with
     * what the backup recorded, drops the scratch database and stores the verdict.
     */
    public BackupVerification verify(Principal actor, UUID id, String requestId) {
        BackupView backup = find(id);
        if (backup.status() != BackupStatus.COMPLETED) {
            throw new ServiceException.Conflict("only a completed backup can be verified; this one is "
                    + backup.status().wireName());
        }
        if (backup.prunedAt() != null) {
            throw new ServiceException.Conflict("its archive was removed by retention at " + backup.prunedAt());
        }
        if (!verifying.tryAcquire()) {
            throw new ServiceException.Conflict("another backup is being verified; try when it has finished");
        }
        return proveHoldingTheTurn(backup, "manual", actor.userId(), requestId);
    }

    /** Restore-tests {@code backup} (the caller holds {@link #verifying}) and records the verdict. */
    private BackupVerification proveHoldingTheTurn(
            BackupView backup, String trigger, @Nullable UUID actor, @Nullable String requestId) {
        BackupVerification verdict;
        try {
            verdict = restoreTest(backup);
        } finally {
            verifying.release();
        }
        db.inTransaction(tx -> {
            repository.recordVerdict(tx, backup.id(), verdict, actor);
            repository.insertRestoreTest(tx, backup, verdict, trigger, actor);
            var details = new LinkedHashMap<String, Object>();
            details.put("backupId", backup.id().toString());
            details.put("trigger", trigger);
            details.put("verified", verdict.verified());
            details.put("durationMs", verdict.durationMs());
            details.put("erasuresReplayed", verdict.erasuresReplayed());
            if (verdict.reason() != null) {
                details.put("reason", verdict.reason());
            }
            audit.record(tx, new AuditService.Event(actor, "backup.verified", null, requestId, details));
            return null;
        });
        proofGeneration.incrementAndGet();
        return verdict;
    }

    /**
     * The restore drill: when the last drill is as old as the schedule (or there was none), a
     * restore test of the newest kept backup. Run by the leader (checked hourly); an instance that
     * does not get the drill's turn, or finds a person's restore test running, leaves it to the
     * next check. Returns the verdict when a drill ran.
     */
    public Optional<BackupVerification> runDrill() {
        if (settings.drill().isEmpty() || closed) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration every = settings.drill().get();
        Optional<BackupView> due = db.inTransaction(tx -> {
            if (!repository.tryDrillLock(tx)) {
                return Optional.<BackupView>empty();
            }
            boolean recent = repository
                    .lastRestoreTest(tx, "drill")
                    .map(last -> last.startedAt().isAfter(now.minus(every)))
                    .orElse(false);
            return recent
                    ? Optional.<BackupView>empty()
                    : repository.kept(tx).stream().findFirst();
        });
        if (due.isEmpty() || !verifying.tryAcquire()) {
            return Optional.empty();
        }
        BackupVerification verdict = proveHoldingTheTurn(due.get(), "drill", null, null);
        LOG.info(
                "restore drill of backup {}: {} in {} ms{}",
                verdict.backupId(),
                verdict.verified() ? "proven" : "FAILED",
                verdict.durationMs(),
                verdict.reason() == null ? "" : " (" + verdict.reason() + ")");
        return Optional.of(verdict);
    }

    /** The restore tests (manual and drills) started in {@code [from, to)}, oldest first, at most {@code limit}. */
    public List<RestoreTestView> restoreTests(Instant from, Instant to, int limit) {
        return db.read(tx -> repository.restoreTests(tx, from, to, limit));
    }

    /** The drill's schedule, its last run, and how long no backup has been proven. */
    public RestoreDrillStatus drillStatus() {
        Optional<RestoreTestView> last = db.read(tx -> repository.lastRestoreTest(tx, "drill"));
        BackupRepository.Proof figures = proof();
        Instant now = clock.instant();
        Instant next = settings.drill()
                .map(every -> last.map(l -> l.startedAt().plus(every))
                        .filter(at -> at.isAfter(now))
                        .orElse(now))
                .orElse(null);
        return new RestoreDrillStatus(
                settings.drill().map(BackupService::period).orElse(null),
                next,
                last.orElse(null),
                figures.lastProven(),
                figures.lastCompleted(),
                unprovenDays(figures, now));
    }

    /** When the newest backup completed, as epoch seconds (NaN: none yet). */
    public double lastCompletedEpochSeconds() {
        Instant at = proof().lastCompleted();
        return at == null ? Double.NaN : at.getEpochSecond();
    }

    /** When a restore test last proved a backup, as epoch seconds (NaN: never). */
    public double lastVerifiedEpochSeconds() {
        Instant at = proof().lastProven();
        return at == null ? Double.NaN : at.getEpochSecond();
    }

    /** Days since a restore test last proved a backup (see {@link RestoreDrillStatus}). */
    public double unprovenDays() {
        return unprovenDays(proof(), clock.instant());
    }

    /** How long the last drill's restore took, in seconds (NaN: no drill yet). */
    public double lastDrillSeconds() {
        Long ms = proof().lastDrillMs();
        return ms == null ? Double.NaN : ms / 1000.0;
    }

    private static double unprovenDays(BackupRepository.Proof figures, Instant now) {
        Instant since = figures.lastProven() != null ? figures.lastProven() : figures.unprovenSince();
        return Math.max(0, Duration.between(since, now).toSeconds()) / 86_400.0;
    }

    private BackupRepository.Proof proof() {
        CachedProof cached = proof;
        long nowNanos = System.nanoTime();
        long generation = proofGeneration.get();
        if (cached == null
                || cached.generation() != generation
                || nowNanos - cached.readAtNanos() > PROOF_CACHE.toNanos()) {
            cached = new CachedProof(db.read(repository::proof), nowNanos, generation);
            proof = cached;
        }
        return cached.proof();
    }

    /** {@code 7d}, {@code 24h} or {@code 30m}: the schedule as it is given. */
    static String period(Duration every) {
        if (every.toMinutes() % (24 * 60) == 0) {
            return every.toDays() + "d";
        }
        return every.toMinutes() % 60 == 0 ? every.toHours() + "h" : every.toMinutes() + "m";
    }

    private BackupVerification restoreTest(BackupView backup) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        Restored restored = new Restored(List.of(), 0);
        String reason;
        Path file = settings.directory().resolve(java.util.Objects.requireNonNull(backup.fileName()));
        try {
            if (!Files.isRegularFile(file)) {
                reason = "the archive " + file + " is missing";
            } else {
                try (var archive = open(file, backup)) {
                    String warning = archive.warning();
                    if (warning != null) {
                        LOG.warn("backup {}: {}", backup.id(), warning);
                    }
                    if (!archive.sha256().equals(backup.checksum())) {
                        reason = "the archive has changed since it was written (its SHA-256 differs)"
                                + damagedPart(archive);
                    } else if (!archive.manifest().backupId().equals(backup.id())) {
                        reason = "the file holds backup " + archive.manifest().backupId() + ", not this one";
                    } else if (!backup.contents().isEmpty()
                            && !BackupRepository.contents(archive.manifest().tables())
                                    .equals(backup.contents())) {
                        reason = "the archive's manifest is not the one recorded when the backup was written";
                    } else {
                        restored = restoreIntoScratch(archive, backup.id());
                        reason = mismatches(restored.tables());
                    }
                }
            }
        } catch (BackupArchive.Damaged | BackupKey.Unusable | Restorer.Refused | ErasureLedger.Broken e) {
            reason = e.getMessage();
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.error("restore test of backup {} failed", backup.id(), e);
            reason = "the restore failed: " + failure(e);
        }
        return new BackupVerification(
                backup.id(),
                reason == null,
                started,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                reason,
                restored.tables(),
                restored.erasuresReplayed());
    }

    /** What a restore test restored, and how many erasures it replayed on top. */
    private record Restored(List<BackupVerification.TableCheck> tables, int erasuresReplayed) {}

    /**
     * Restores into a scratch database, compares every table with the manifest, then replays the
     * erasure ledger (this database's, merged with the file beside the backups) as a real restore
     * does, and checks that every erased subject is erased there.
     */
    private Restored restoreIntoScratch(BackupArchive.Reader archive, UUID id)
            throws IOException, SQLException, Restorer.Refused {
        String scratch = "steward_verify_" + id.toString().substring(0, 8) + "_"
                + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(4));
        try (Connection admin = db.settings().open();
                var statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + scratch + " TEMPLATE template0");
            try {
                var target = db.settings().withDatabase(scratch);
                // brought to this version before the replay, as a real restore is
                var tables = Restorer.restore(archive, target, true);
                List<ErasureLedger.Entry> ledger = ErasureLedger.merge(List.of(
                        db.read(new ErasureLedgerRepository()::all),
                        ErasureLedger.read(settings.directory().resolve(ErasureLedger.FILE_NAME))));
                return new Restored(tables, Restorer.replayErasures(target, ledger, "restore test", (tx, audit) -> {}));
            } finally {
                dropScratch(statement, scratch);
            }
        }
    }

    /**
     * Drops a scratch database, ending what is still connected to it. Only sessions of the server's
     * own role can be ended that way; an autovacuum worker that started on the freshly loaded
     * tables belongs to the superuser, and a plain DROP, which stops autovacuum itself, is used then.
     */
    private static void dropScratch(java.sql.Statement statement, String scratch) throws SQLException {
        try {
            statement.execute("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + scratch
                    + "' AND usename = current_user AND pid <> pg_backend_pid()");
            statement.execute("DROP DATABASE IF EXISTS " + scratch);
        }
    }

    /** Opens the backup's archive; one too damaged to open says too whether it changed since. */
    private BackupArchive.Reader open(Path file, BackupView backup) throws IOException {
        try {
            return new BackupArchive.Reader(file, settings.keyFile());
        } catch (BackupArchive.Damaged e) {
            if (BackupArchive.sha256(file).equals(backup.checksum())) {
                throw e;
            }
            throw new BackupArchive.Damaged(
                    "the archive has changed since it was written (its SHA-256 differs); " + e.getMessage());
        }
    }

    /** Which table of a changed archive is damaged, when that can be told. */
    private static String damagedPart(BackupArchive.Reader archive) {
        try {
            for (BackupArchive.TableData table : archive.manifest().tables()) {
                try (var data = archive.open(table)) {
                    data.verify();
                }
            }
            return "";
        } catch (IOException e) {
            return "; " + e.getMessage();
        }
    }

    private static @Nullable String mismatches(List<BackupVerification.TableCheck> tables) {
        var problems = new ArrayList<String>();
        for (var check : tables) {
            if (check.rows() != check.expectedRows()) {
                problems.add(
                        check.name() + ": " + check.rows() + " rows restored, " + check.expectedRows() + " recorded");
            } else if (!check.checksumMatches()) {
                problems.add(check.name() + ": restored data differs from the recorded checksum");
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String failure(Exception e) {
        // messages for people: no SQL, no class names
        if (e instanceof SQLException sql) {
            return "database error " + java.util.Objects.requireNonNullElse(sql.getSQLState(), "");
        }
        return e instanceof IOException ? "cannot write the archive: " + e.getMessage() : "unexpected error";
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every system lets a directory be opened; the rename is still atomic
            LOG.debug("cannot sync {}", directory, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}", file, e);
        }
    }

    /** Stops the backup being written (its partial file is removed, its row marked failed). */
    @Override
    public void close() {
        closed = true;
        Connection connection = snapshot.get();
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debug("cannot abort the backup's connection", e);
            }
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
