package io.steward.server.benchmark;

import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Database;
import io.steward.server.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The cost of making a destroyed audit key leave {@code subject_keys}' file: {@code VACUUM FULL}
 * of the table holding N keys (default 100 000 and 1 000 000), against a plain {@code VACUUM} of
 * the same table in the same run, and how long a key lookup made during the rewrite waits. Not a
 * test; see docs/benchmarks.md.
 */
public final class KeyShredBenchmark {
    private KeyShredBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("steward-bench");
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir);
                Database db = Database.open(pg.server(), pg.owner(), true)) {
            var keys = new SubjectKeyRepository();
            long have = 0;
            for (String arg : args.length > 0 ? args : new String[] {"100000", "1000000"}) {
                long want = Long.parseLong(arg);
                long add = want - have;
                db.inTransaction(tx -> tx.connection()
                        .createStatement()
                        .execute("INSERT INTO subject_keys (subject_id, key_material, created_at)"
                                + " SELECT gen_random_uuid(), decode(md5(random()::text) || md5(random()::text), 'hex'), now() FROM generate_series(1, "
                                + add
                                + ")"));
                have = want;
                UUID victim = db.read(tx -> {
                    try (var rs = tx.connection()
                            .createStatement()
                            .executeQuery(
                                    "SELECT subject_id FROM subject_keys WHERE key_material IS NOT NULL LIMIT 1")) {
                        rs.next();
                        return rs.getObject(1, UUID.class);
                    }
                });
                db.inTransaction(tx -> {
                    keys.destroy(tx, victim, Instant.now());
                    return null;
                });
                long plain = time(() -> db.outsideTransaction(
                        tx -> tx.connection().createStatement().execute("VACUUM subject_keys")));
                db.inTransaction(tx -> {
                    keys.destroy(tx, UUID.randomUUID(), Instant.now());
                    return null;
                });
                var lookup = new CompletableFuture<Long>();
                long full = time(() -> {
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(50); // lands while the rewrite runs
                            lookup.complete(
                                    time(() -> db.inTransaction(tx -> keys.keys(tx, java.util.List.of(victim)))));
                        } catch (InterruptedException e) {
                            lookup.completeExceptionally(e);
                        }
                    });
                    db.outsideTransaction(tx -> {
                        keys.shred(tx, Duration.ofMinutes(1));
                        return null;
                    });
                });
                System.out.printf(
                        "%,d keys: VACUUM FULL %d ms (a key lookup made meanwhile waited %d ms); plain VACUUM %d ms%n",
                        want, full, lookup.get(), plain);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long time(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
