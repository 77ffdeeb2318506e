package io.steward.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.AuditCheckpoint;
import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import io.steward.server.system.PrivateFiles;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
    private final SigningKey key;
    private final Path file;
    private final @Nullable URI anchor;
    private final Supplier<String> instance;
    private final Clock clock;
    private final ObjectMapper mapper;
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
            if (head.isEmpty() || newestSeq(tx) >= head.get().seq()) {
                return Optional.<AuditCheckpoint>empty();
            }
            String hash = HexFormat.of().formatHex(head.get().hash());
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String by = instance.get();
            byte[] signature = key.sign(AuditCheckpoint.payload(head.get().seq(), hash, at, by));
            var checkpoint = new AuditCheckpoint(
                    head.get().seq(), hash, at, key.keyId(), Base64.getEncoder().encodeToString(signature), by);
            insert(tx, checkpoint);
            return Optional.of(checkpoint);
        });
        written.ifPresent(checkpoint -> {
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
        var byIdentity = new LinkedHashMap<String, AuditCheckpoint>();
        for (AuditCheckpoint checkpoint : fromTable(tx, null, null)) {
            byIdentity.put(checkpoint.signature(), checkpoint);
        }
        for (AuditCheckpoint checkpoint : onFile) {
            byIdentity.putIfAbsent(checkpoint.signature(), checkpoint);
        }
        var all = new ArrayList<>(byIdentity.values());
        all.sort(java.util.Comparator.comparingLong(AuditCheckpoint::seq).thenComparing(AuditCheckpoint::at));
        return all;
    }

    /** Whether {@code checkpoint} carries this server's signature over what it says. */
    public boolean signedHere(AuditCheckpoint checkpoint) {
        try {
            return checkpoint.keyId().equals(key.keyId())
                    && SigningKey.verify(
                            key.publicKey(),
                            checkpoint.payload(),
                            Base64.getDecoder().decode(checkpoint.signature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The checkpoints written in {@code [from, to)}, oldest first (the table's). */
    public List<AuditCheckpoint> between(Instant from, Instant to) {
        return db.read(tx -> fromTable(tx, from, to));
    }

    private long newestSeq(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                        tx.connection().prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_checkpoints");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Tx tx, AuditCheckpoint c) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature, instance)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, c.seq());
            ps.setBytes(2, HexFormat.of().parseHex(c.hash()));
            ps.setTimestamp(3, Timestamp.from(c.at()));
            ps.setString(4, c.keyId());
            ps.setBytes(5, Base64.getDecoder().decode(c.signature()));
            ps.setString(6, c.instance());
            ps.executeUpdate();
        }
    }

    private static List<AuditCheckpoint> fromTable(Tx tx, @Nullable Instant from, @Nullable Instant to)
            throws SQLException {
        String where = from == null ? "" : " WHERE at >= ? AND at < ?";
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT seq, hash, at, key_id, signature, instance FROM audit_checkpoints" + where
                        + " ORDER BY seq, at")) {
            if (from != null && to != null) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
            }
            try (ResultSet rs = ps.executeQuery()) {
                var out = new ArrayList<AuditCheckpoint>();
                while (rs.next()) {
                    out.add(new AuditCheckpoint(
                            rs.getLong(1),
                            HexFormat.of().formatHex(rs.getBytes(2)),
                            rs.getTimestamp(3).toInstant(),
                            rs.getString(4),
                            Base64.getEncoder().encodeToString(rs.getBytes(5)),
                            rs.getString(6)));
                }
                return out;
            }
        }
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
