package io.steward.server.gdpr;

import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the erasure ledger on a running server: appends each completed erasure to the table in the
 * erasure's transaction and, once it has committed, to the file beside the backups; at start,
 * replays what the file holds and the database does not (a database restored behind Steward's
 * back) before anything is served; and makes each destroyed key physically leave
 * {@code subject_keys} (a {@code VACUUM FULL} once no snapshot can still see the old row).
 */
public final class ErasureLedgerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ErasureLedgerService.class);
    static final String SHREDDED = "gdpr.keys_shredded";
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PATIENCE = Duration.ofHours(1);

    private final Database db;
    private final Path file;
    private final AuditService audit;
    private final ErasureLedgerRepository ledger = new ErasureLedgerRepository();
    private final SubjectKeyRepository keys = new SubjectKeyRepository();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("steward-erasure-ledger").daemon().factory());
    private volatile boolean closed;

    /** The ledger of {@code db}, mirrored in {@code file}. */
    public ErasureLedgerService(Database db, Path file, AuditService audit) {
        this.db = db;
        this.file = file;
        this.audit = audit;
    }

    /** The file copy of the ledger. */
    public Path file() {
        return file;
    }

    /**
     * Appends the erasure to the table in {@code tx}; after the commit, and before the caller's
     * answer leaves, the file holds it too; the key's bytes are shredded in the background.
     */
    public ErasureLedger.Entry append(
            Tx tx, UUID subject, UUID request, Instant at, @Nullable UUID approvedBy, @Nullable UUID completedBy)
            throws SQLException {
        var entry = ledger.append(tx, subject, request, at, approvedBy, completedBy);
        String xid = keys.transactionId(tx);
        tx.afterCommit(() -> {
            mirror();
            worker.execute(() -> shred(entry.seq(), xid));
        });
        return entry;
    }

    /**
     * At start, before serving: erasures in the file that the database does not reflect are done
     * again, the file is brought up to the table, and a key destroyed but not yet shredded (the
     * server stopped first) is shredded. Returns how many erasures were replayed.
     */
    public int reconcile() {
        List<ErasureLedger.Entry> onFile;
        try {
            onFile = ErasureLedger.read(file);
        } catch (IOException | ErasureLedger.Broken e) {
            throw new IllegalStateException("the erasure ledger " + file + " cannot be used: " + e.getMessage(), e);
        }
        int replayed;
        try {
            replayed = db.inTransaction(tx -> new ErasureReplay(audit).apply(tx, onFile, "start"));
        } catch (ErasureLedger.Broken e) {
            throw new IllegalStateException(
                    "the erasure ledger " + file + " does not belong to this database: " + e.getMessage(), e);
        }
        if (replayed > 0) {
            LOG.warn("{} erasure(s) in {} were missing from the database and were done again", replayed, file);
        }
        maintain();
        return replayed;
    }

    /**
     * Brings the file up to the table and shreds keys an erasure destroyed whose shredding did not
     * happen (the server stopped first, or the table stayed busy): at start and every hour.
     */
    public void maintain() {
        mirror();
        try {
            var pending = db.inTransaction(tx -> {
                long seq = ledger.lastSeq(tx);
                return seq > ledger.lastShredded(tx) ? new Pending(seq, keys.transactionId(tx)) : null;
            });
            if (pending != null && !closed) {
                worker.execute(() -> shred(pending.seq(), pending.xid()));
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot check whether destroyed keys await shredding: {}", e.getMessage());
        }
    }

    private record Pending(long seq, String xid) {}

    /** Brings the file up to the table; a failure is logged and mended by the next call. */
    public void mirror() {
        try {
            List<ErasureLedger.Entry> all = db.read(ledger::all);
            int appended = ErasureLedger.append(file, all);
            if (appended > 0) {
                LOG.info("erasure ledger {}: {} entr{} appended", file, appended, appended == 1 ? "y" : "ies");
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot bring the erasure ledger file {} up to date: {}", file, e.getMessage());
        }
    }

    /** {@link #mirror} in the background, for news of an erasure through another instance. */
    public void mirrorSoon() {
        if (!closed) {
            worker.execute(this::mirror);
        }
    }

    /**
     * Waits until no snapshot older than transaction {@code xid} remains (a backup running, say),
     * then rewrites {@code subject_keys}, and records that the keys of erasures up to {@code seq}
     * are gone from it.
     */
    private void shred(long seq, String xid) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!closed && System.nanoTime() < deadline) {
            try {
                if (db.read(tx -> ledger.lastShredded(tx) >= seq)) {
                    return; // a later shred covered it
                }
                if (db.read(tx -> keys.snapshotsSince(tx, xid))) {
                    db.outsideTransaction(tx -> {
                        keys.shred(tx, LOCK_TIMEOUT);
                        return null;
                    });
                    db.inTransaction(tx -> audit.record(
                            tx,
                            new AuditService.Event(
                                    null, SHREDDED, null, null, Map.of("ledgerSeq", seq, "table", "subject_keys"))));
                    return;
                }
            } catch (RuntimeException e) {
                // the table was busy (lock timeout) or the database away: try again shortly
                LOG.debug("shredding destroyed keys postponed: {}", e.getMessage());
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!closed) {
            LOG.error("the destroyed audit keys of erasures up to {} could not be shredded within {}", seq, PATIENCE);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
