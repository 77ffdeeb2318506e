package io.steward.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.AuditCheckpoint;
import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import io.steward.server.files.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed checkpoints of the audit chain's head ({@link AuditCheckpoint}): written every minute when
 * the chain has grown and at shutdown, into {@code audit_checkpoints}, appended to a file outside
 * the database ({@code <data-dir>/audit-checkpoints.jsonl}, one JSON object per line) and, when
 * configured, POSTed to an anchor URL. Verification reads both the table and the file, so
 * removing checkpoints from the database does not hide a cut tail.
 */
public final class AuditCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
    public static final String FILE_NAME = "audit-checkpoints.jsonl";

    private final Database db;
    private final AuditRepository repository = new AuditRepository();
    private final AuditCheckpointRepository store = new AuditCheckpointRepository();
    private final SigningKey key;
    private final Path file;
    private final @Nullable URI anchor;
    private final Supplier<String> instance;
    private final Clock clock;
    private final ObjectMapper mapper;
    private long lastSigned = Long.MIN_VALUE;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AuditCheckpoints(
            Database db,
            SigningKey key,
            Path file,
            @Nullable URI anchor,
            Supplier<String> instance,
            Clock clock,
            ObjectMapper mapper) {
        this.db = db;
        this.key = key;
        this.file = file;
        this.anchor = anchor;
        this.instance = instance;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The bytes a checkpoint's signature is over: a format line, then seq, hash, time and instance. */
    public static byte[] payload(AuditCheckpoint checkpoint) {
        return payload(checkpoint.seq(), checkpoint.hash(), checkpoint.at(), checkpoint.instance());
    }

    public static byte[] payload(long seq, String hash, Instant at, String instance) {
        return ("steward-audit-checkpoint/1\n" + seq + "\n" + hash + "\n" + at + "\n" + instance + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    public SigningKey key() {
        return key;
    }

    /**
     * Signs the chain's head when no checkpoint names it or a later entry yet; returns the
     * checkpoint written, if one was.
     */
    public synchronized Optional<AuditCheckpoint> write() {
        Optional<AuditCheckpoint> written = db.inTransaction(tx -> {
            var head = repository.head(tx);
            // what this instance last signed, not the table's newest row: anyone who may insert
            // there could otherwise put a far-off one in and stop the checkpoints
            if (head.isEmpty() || head.get().seq() <= lastSigned) {
                return Optional.<AuditCheckpoint>empty();
            }
            String hash = HexFormat.of().formatHex(head.get().hash());
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String by = instance.get();
            byte[] signature = key.sign(payload(head.get().seq(), hash, at, by));
            var checkpoint = new AuditCheckpoint(
                    head.get().seq(), hash, at, key.keyId(), Base64.getEncoder().encodeToString(signature), by);
            store.insert(tx, checkpoint);
            return Optional.of(checkpoint);
        });
        written.ifPresent(checkpoint -> {
            lastSigned = checkpoint.seq();
            appendToFile(checkpoint);
            postToAnchor(checkpoint);
        });
        return written;
    }

    /**
     * Every checkpoint in the table and in {@code onFile} (this instance's file, read before the
     * transaction began, so that it names nothing the transaction cannot see), oldest first,
     * without repeats.
     */
    List<AuditCheckpoint> merge(Tx tx, List<AuditCheckpoint> onFile) throws SQLException {
        // a repeat is the same in every field: a row copying a signature hides nothing
        var distinct = new java.util.LinkedHashSet<AuditCheckpoint>(store.all(tx));
        distinct.addAll(onFile);
        var all = new ArrayList<>(distinct);
        all.sort(java.util.Comparator.comparingLong(AuditCheckpoint::seq).thenComparing(AuditCheckpoint::at));
        return all;
    }

    /** Whether {@code checkpoint} carries this server's signature over what it says. */
    public boolean signedHere(AuditCheckpoint checkpoint) {
        try {
            return checkpoint.keyId().equals(key.keyId())
                    && SigningKey.verify(
                            key.publicKey(),
                            payload(checkpoint),
                            Base64.getDecoder().decode(checkpoint.signature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The checkpoints written in {@code [from, to)}, oldest first (the table's). */
    public List<AuditCheckpoint> between(Instant from, Instant to) {
        return db.read(tx -> store.between(tx, from, to));
    }

    /**
     * Hands each checkpoint this server signed that was written in {@code [from, to)} to {@code
     * sink}: the table's, streamed in one read-only transaction, oldest first, then those only this
     * instance's file still holds (rows removed from the table do not leave the evidence). A row
     * whose signature does not hold is left out.
     */
    public void signedBetween(Instant from, Instant to, java.util.function.Consumer<AuditCheckpoint> sink) {
        var onFileOnly = new java.util.LinkedHashSet<AuditCheckpoint>();
        for (AuditCheckpoint c : fromFile()) {
            if (!c.at().isBefore(from) && c.at().isBefore(to)) {
                onFileOnly.add(c);
            }
        }
        db.readInTransaction(tx -> {
            store.each(tx, from, to, c -> {
                onFileOnly.remove(c);
                if (signedHere(c)) {
                    sink.accept(c);
                }
            });
            return null;
        });
        onFileOnly.stream().filter(this::signedHere).forEach(sink);
    }

    /** This instance's file, line by line; a line that is not a checkpoint is skipped (and logged). */
    List<AuditCheckpoint> fromFile() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            var out = new ArrayList<AuditCheckpoint>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(mapper.readValue(line, AuditCheckpoint.class));
                } catch (IOException e) {
                    LOG.warn("{} holds a line that is not a checkpoint", file);
                }
            }
            return out;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    private void appendToFile(AuditCheckpoint checkpoint) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null) {
                PrivateFiles.folder(folder);
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PrivateFiles.fileAttribute());
            }
            PrivateFiles.restrict(file);
            byte[] line = (mapper.writeValueAsString(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap(line));
                channel.force(true);
            }
        } catch (IOException e) {
            LOG.warn("cannot append the audit checkpoint of seq {} to {}: {}", checkpoint.seq(), file, e.getMessage());
        }
    }

    private void postToAnchor(AuditCheckpoint checkpoint) {
        if (anchor == null) {
            return;
        }
        try {
            var request = HttpRequest.newBuilder(anchor)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(checkpoint)))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() / 100 != 2) {
                    LOG.warn(
                            "the audit anchor did not take the checkpoint of seq {}: {}",
                            checkpoint.seq(),
                            failure != null ? failure.getClass().getSimpleName() : "HTTP " + response.statusCode());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot send the audit checkpoint: {}", e.getMessage());
        }
    }
}
