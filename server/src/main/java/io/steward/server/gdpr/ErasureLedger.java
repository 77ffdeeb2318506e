package io.steward.server.gdpr;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.files.PrivateFiles;
import io.steward.server.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The erasure ledger: a hash chain of completed erasures (ids and times, no personal values), kept
 * in the {@code erasure_ledger} table and mirrored in an append-only file beside the backups. A
 * restore replays every entry the restored data does not reflect ({@link ErasureReplay}).
 *
 * <p>The file is JSON lines: a header naming the format, then one entry per line, oldest first.
 * Appends happen under an exclusive lock on the file and skip entries already there, so several
 * instances may keep one file; each append is forced to disk before it returns.
 */
public final class ErasureLedger {
    /** The file's name in the backup folder. */
    public static final String FILE_NAME = "erasures.ledger";

    static final String FORMAT = "steward-erasure-ledger/1";
    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper MAPPER = Json.mapper();

    private ErasureLedger() {}

    /** One completed erasure. */
    public record Entry(
            long seq,
            UUID subjectId,
            UUID requestId,
            Instant completedAt,
            @Nullable UUID approvedBy,
            @Nullable UUID completedBy,
            String prevHash,
            String hash) {

        /** The entry that follows {@code previous} (null: the first), its hash computed. */
        public static Entry next(
                @Nullable Entry previous,
                UUID subjectId,
                UUID requestId,
                Instant completedAt,
                @Nullable UUID approvedBy,
                @Nullable UUID completedBy) {
            long seq = previous == null ? 1 : previous.seq() + 1;
            String prev = previous == null ? GENESIS : previous.hash();
            // PostgreSQL keeps microseconds: hash what the table will hold
            Instant at = completedAt.truncatedTo(ChronoUnit.MICROS);
            return new Entry(
                    seq,
                    subjectId,
                    requestId,
                    at,
                    approvedBy,
                    completedBy,
                    prev,
                    digest(prev, canonical(seq, subjectId, requestId, at, approvedBy, completedBy)));
        }

        /** Whether this entry's hash is that of its own fields and {@code prevHash}. */
        boolean intact() {
            return hash.equals(
                    digest(prevHash, canonical(seq, subjectId, requestId, completedAt, approvedBy, completedBy)));
        }
    }

    /** A ledger that cannot be used: damaged, or not a copy of the same ledger. */
    public static final class Broken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public Broken(String message) {
            super(message);
        }
    }

    /**
     * Checks that {@code entries} (in seq order) form one unbroken chain from the first erasure;
     * {@code source} names them in the message.
     */
    public static List<Entry> checked(List<Entry> entries, String source) {
        String prev = GENESIS;
        long seq = 0;
        for (Entry entry : entries) {
            if (entry.seq() != seq + 1) {
                throw new Broken(source + ": entry " + (seq + 1) + " is missing (next is " + entry.seq() + ")");
            }
            if (!entry.prevHash().equals(prev) || !entry.intact()) {
                throw new Broken(source + ": entry " + entry.seq() + " does not match its hash chain");
            }
            prev = entry.hash();
            seq = entry.seq();
        }
        return entries;
    }

    /**
     * One ledger from several copies (the table, the file beside the backups, an archive's): every
     * entry any of them holds. Copies must agree wherever they overlap.
     */
    public static List<Entry> merge(Collection<List<Entry>> copies) {
        var bySeq = new TreeMap<Long, Entry>();
        for (List<Entry> copy : copies) {
            for (Entry entry : copy) {
                Entry known = bySeq.putIfAbsent(entry.seq(), entry);
                if (known != null && !known.hash().equals(entry.hash())) {
                    throw new Broken("the erasure ledgers disagree at entry " + entry.seq()
                            + ": they are not copies of one ledger");
                }
            }
        }
        return checked(List.copyOf(bySeq.values()), "the merged erasure ledger");
    }

    /** Reads a ledger file; empty if there is none. */
    public static List<Entry> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(file, contents(channel));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Appends to {@code file} (made, owner-only, if missing) the entries of {@code ledger} (the
     * whole chain, oldest first) it does not hold yet, and forces it to disk. Refuses a file that
     * is not a copy of the same chain. Returns how many entries it appended.
     */
    public static int append(Path file, List<Entry> ledger) throws IOException {
        PrivateFiles.folderOf(file);
        try (FileChannel channel = FileChannel.open(
                file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PrivateFiles.fileAttribute())) {
            // held until the channel closes: appends from instances sharing the folder take turns
            channel.lock();
            PrivateFiles.restrict(file);
            String text = contents(channel);
            // a line torn by a crash during the last append is not part of the ledger
            int end = text.lastIndexOf('\n') + 1;
            List<Entry> held = parse(file, text.substring(0, end));
            merge(List.of(held, ledger));
            long last = held.isEmpty() ? 0 : held.getLast().seq();
            var out = new StringBuilder(end == 0 ? line(new Header(FORMAT)) : "");
            int appended = 0;
            for (Entry entry : ledger) {
                if (entry.seq() > last) {
                    out.append(line(entry));
                    appended++;
                }
            }
            channel.truncate(end);
            channel.write(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)), end);
            channel.force(true);
            return appended;
        }
    }

    private record Header(String format) {}

    private static String contents(FileChannel channel) throws IOException {
        var buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read to the end
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static List<Entry> parse(Path file, String text) {
        var entries = new ArrayList<Entry>();
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == lines.length - 1 && !text.endsWith("\n")) {
                break; // torn by a crash during an append
            }
            try {
                if (i == 0) {
                    if (!FORMAT.equals(MAPPER.readValue(line, Header.class).format())) {
                        throw new Broken(file + " is not an erasure ledger of this Steward version");
                    }
                } else {
                    entries.add(MAPPER.readValue(line, Entry.class));
                }
            } catch (JacksonException e) {
                throw new Broken(file + ": line " + (i + 1) + " is not a ledger entry");
            }
        }
        return checked(entries, file.toString());
    }

    private static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("a ledger entry is plain JSON", e);
        }
    }

    private static String canonical(
            long seq,
            UUID subjectId,
            UUID requestId,
            Instant completedAt,
            @Nullable UUID approvedBy,
            @Nullable UUID completedBy) {
        return "{\"seq\":" + seq + ",\"subjectId\":\"" + subjectId + "\",\"requestId\":\"" + requestId
                + "\",\"completedAt\":\"" + completedAt + "\",\"approvedBy\":" + quoted(approvedBy)
                + ",\"completedBy\":" + quoted(completedBy) + "}";
    }

    private static String quoted(@Nullable UUID id) {
        return id == null ? "null" : "\"" + id + "\"";
    }

    private static String digest(String prev, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev.getBytes(StandardCharsets.US_ASCII));
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
