package io.steward.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.files.PrivateFiles;
import io.steward.server.http.Json;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * The backup file: a zip whose first entry, {@code steward-backup.json}, names the format, the
 * backup and the key it is encrypted with; then each table's data as PostgreSQL binary COPY output
 * (rows in the order of the table's file) and a {@code manifest.json} naming the schema version and, per table,
 * its columns, row count and the SHA-256 of its data. Every entry but the first is compressed
 * (LZ4 frames, one per 256 KiB of data), then encrypted with the {@link BackupKey} (authenticated
 * per 1 MiB segment, bound to the format, the backup and the entry's name). The same hash checks the archive entry and, after a restore, the restored
 * table exported again the same way.
 *
 * <p>Writing is a pipeline: the calling thread reads COPY output and hashes it; chunks are
 * compressed in parallel, each as an LZ4 frame of its own (frames follow each other in a stream);
 * one thread encrypts, writes and hashes the file. LZ4 compresses about three times as fast as
 * deflate's fastest level, which on a small machine competes with PostgreSQL for the CPU.
 *
 * <p>Archives of the older formats are still read: {@value #DEFLATE_FORMAT} (entries deflated as
 * one raw deflate stream instead) and {@value #LEGACY_FORMAT} (the zip deflates the entries itself,
 * unencrypted, no header entry).
 */
final class BackupArchive {
    static final String FORMAT = "steward-backup/3";
    static final String DEFLATE_FORMAT = "steward-backup/2";
    static final String LEGACY_FORMAT = "steward-backup/1";
    static final String HEADER = "steward-backup.json";
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper MAPPER = Json.mapper();
    /** Compressed as one piece (one LZ4 frame of one block): small enough to stay out of the collector's humongous regions. */
    private static final int CHUNK = 256 * 1024;
    /** Pure Java: the library's native code would be unpacked into a temporary folder to be loaded. */
    private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();

    private static final XXHashFactory XXHASH = XXHashFactory.safeInstance();

    private BackupArchive() {}

    /** The archive's unencrypted first entry: what it is and which key opens it. */
    record Header(String format, UUID backupId, String cipher, String keyId) {}

    /** What one table holds in the archive. */
    record TableData(String name, List<String> columns, long rows, long bytes, String sha256) {}

    /** The archive's table of contents. */
    record Manifest(
            String format,
            UUID backupId,
            Instant createdAt,
            String schemaVersion,
            String serverVersion,
            String postgresVersion,
            List<TableData> tables,
            @Nullable LedgerHead erasureLedger) {

        /** The same header with these tables. */
        Manifest withTables(List<TableData> contents) {
            return new Manifest(
                    format,
                    backupId,
                    createdAt,
                    schemaVersion,
                    serverVersion,
                    postgresVersion,
                    contents,
                    erasureLedger);
        }

        long rows() {
            return tables.stream().mapToLong(TableData::rows).sum();
        }
    }

    /**
     * How far the erasure ledger went in the archive's snapshot: its number of entries and the
     * newest one's hash (none in archives written before the ledger existed). A restore needs a
     * ledger at least this far to replay the erasures completed since.
     */
    record LedgerHead(long entries, @Nullable String hash) {}

    /** Where the file ended up and what it is. */
    record Written(Manifest manifest, long sizeBytes, String sha256) {}

    /** The archive is not one this server can read, or its content does not match its manifest. */
    static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    /**
     * Writes every table {@code snapshot} sees to {@code file} (created owner-only, must not exist),
     * encrypted with {@code key}, then forces it to disk. {@code snapshot} should be in a REPEATABLE
     * READ transaction so that the tables are consistent with each other.
     */
    static Written write(
            Connection snapshot, List<SchemaCatalog.Table> tables, Path file, Manifest header, BackupKey key)
            throws IOException, SQLException {
        var copy = snapshot.unwrap(PGConnection.class).getCopyAPI();
        var contents = new ArrayList<TableData>();
        try (FileChannel channel = FileChannel.open(
                        file,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PrivateFiles.fileAttribute());
                var pipeline =
                        new Pipeline(channel, key, new Header(FORMAT, header.backupId(), BackupKey.CIPHER, key.id()))) {
            PrivateFiles.restrict(file);
            for (SchemaCatalog.Table table : tables) {
                long rows = count(snapshot, table.name());
                pipeline.begin(tableEntry(table.name()));
                copy.copyOut(table.copyOut(table.columns()), pipeline);
                pipeline.end();
                contents.add(new TableData(table.name(), table.columns(), rows, pipeline.count, hex(pipeline.digest)));
            }
            var manifest = header.withTables(List.copyOf(contents));
            pipeline.begin(MANIFEST);
            pipeline.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            pipeline.end();
            String sha256 = pipeline.finish();
            return new Written(manifest, channel.size(), sha256);
        }
    }

    static String tableEntry(String table) {
        return "tables/" + table + ".copy";
    }

    /** What an entry's encryption is bound to: the format, the backup and the entry's name. */
    static byte[] associatedData(String format, UUID backupId, String entry) {
        return (format + " " + backupId + " " + entry).getBytes(StandardCharsets.UTF_8);
    }

    /** What the pipeline's writer thread is given, in archive order. */
    private sealed interface Item {}

    private record Begin(String entry) implements Item {}

    private record Data(Future<byte[]> compressed) implements Item {}

    private record End() implements Item {}

    private record Finish() implements Item {}

    /**
     * The stream COPY output is written to: hashes and counts an entry's bytes, cuts them into
     * chunks compressed on a pool, and queues the chunks, in order, for the thread that encrypts and
     * writes them. The queue is bounded, so memory is too.
     */
    private static final class Pipeline extends OutputStream {
        private final ExecutorService compressors;
        private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(16);
        private final Thread writer;
        private final MessageDigest fileDigest = sha256();
        private volatile @Nullable Throwable failure;
        private boolean finished;
        MessageDigest digest = sha256();
        long count;
        private byte[] chunk = new byte[CHUNK];
        private int filled;

        Pipeline(FileChannel channel, BackupKey key, Header header) {
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            this.compressors = Executors.newFixedThreadPool(
                    threads,
                    Thread.ofPlatform()
                            .name("steward-backup-compress-", 0)
                            .daemon()
                            .factory());
            this.writer = Thread.ofPlatform()
                    .name("steward-backup-write")
                    .daemon()
                    .start(() -> {
                        try {
                            writeAll(channel, key, header);
                        } catch (Throwable e) {
                            failure = e;
                        }
                    });
        }

        private void writeAll(FileChannel channel, BackupKey key, Header header) throws Exception {
            // while the first chunks are compressed
            BackupKey.warmUp();
            OutputStream out = new BufferedOutputStream(
                    new DigestOutputStream(Channels.newOutputStream(channel), fileDigest), 1 << 20);
            var zip = new ZipOutputStream(out);
            // the entries are compressed and encrypted already
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry(HEADER));
            zip.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(header));
            zip.closeEntry();
            OutputStream entry = OutputStream.nullOutputStream();
            while (true) {
                switch (queue.take()) {
                    case Begin begin -> {
                        zip.putNextEntry(new ZipEntry(begin.entry()));
                        entry = key.encrypt(
                                nonClosing(zip), associatedData(header.format(), header.backupId(), begin.entry()));
                    }
                    case Data data -> entry.write(data.compressed().get());
                    case End end -> {
                        entry.close();
                        zip.closeEntry();
                    }
                    case Finish done -> {
                        zip.finish();
                        out.flush();
                        channel.force(true);
                        return;
                    }
                }
            }
        }

        void begin(String entry) throws IOException {
            digest = sha256();
            count = 0;
            filled = 0;
            put(new Begin(entry));
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            count += len;
            while (len > 0) {
                int n = Math.min(len, CHUNK - filled);
                System.arraycopy(b, off, chunk, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == CHUNK) {
                    submit();
                }
            }
        }

        void end() throws IOException {
            submit();
            put(new End());
        }

        /** Waits for the writer to finish the file; its SHA-256. */
        String finish() throws IOException {
            put(new Finish());
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the archive was being written");
            }
            check();
            finished = true;
            return hex(fileDigest);
        }

        private void submit() throws IOException {
            if (filled == 0) {
                return;
            }
            byte[] input = chunk;
            int length = filled;
            put(new Data(compressors.submit(() -> compress(input, length))));
            chunk = new byte[CHUNK];
            filled = 0;
        }

        private void put(Item item) throws IOException {
            try {
                while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                    check();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the archive was being written");
            }
            check();
        }

        /** Throws what stopped the writer, if anything did. */
        private void check() throws IOException {
            Throwable e = failure;
            if (e instanceof java.util.concurrent.ExecutionException wrapped && wrapped.getCause() != null) {
                e = wrapped.getCause();
            }
            if (e instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            if (e != null) {
                throw new IOException("the archive could not be written (" + e + ")", e);
            }
        }

        /** Stops the writer and the compressors if the archive was not finished. */
        @Override
        public void close() {
            if (!finished) {
                writer.interrupt();
                try {
                    writer.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            compressors.shutdownNow();
        }
    }

    /** One chunk as an LZ4 frame of its own (frames may follow each other in one stream). */
    private static byte[] compress(byte[] input, int length) throws IOException {
        var out = new java.io.ByteArrayOutputStream(length + 64);
        try (var frame = new LZ4FrameOutputStream(
                out,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB,
                length,
                LZ4.fastCompressor(),
                XXHASH.hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            frame.write(input, 0, length);
        }
        return out.toByteArray();
    }

    /**
     * An archive opened for reading. The file is opened once: its SHA-256 is taken and its entries
     * read through that one descriptor, so the bytes restored are the bytes hashed even if the
     * name is pointed at another file meanwhile.
     */
    static final class Reader implements Closeable {
        private final FileChannel channel;
        private final String sha256;
        private final ZipFile zip;
        private final @Nullable BackupKey key;
        private final Manifest manifest;

        /**
         * Opens {@code file}; an encrypted one with the key in {@code keyFile}.
         *
         * @throws BackupKey.Unusable when the key is missing or not the one the archive was made with
         * @throws Damaged when the file is not a backup archive this server reads
         */
        Reader(Path file, Path keyFile) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                this.sha256 = sha256(channel);
                try {
                    this.zip = ZipFile.builder().setSeekableByteChannel(channel).get();
                } catch (IOException e) {
                    throw new Damaged("not a readable backup archive (" + e.getMessage() + ")");
                }
                ZipArchiveEntry headerEntry = zip.getEntry(HEADER);
                if (headerEntry == null) {
                    this.key = null;
                    this.manifest = readManifest(zip.getEntry(MANIFEST), LEGACY_FORMAT, null);
                } else {
                    Header header;
                    try (InputStream in = zip.getInputStream(headerEntry)) {
                        header = MAPPER.readValue(in, Header.class);
                    } catch (com.fasterxml.jackson.core.JacksonException e) {
                        throw new Damaged("the archive's " + HEADER + " is unreadable");
                    }
                    if (!FORMAT.equals(header.format()) && !DEFLATE_FORMAT.equals(header.format())) {
                        throw new Damaged("unknown archive format " + header.format() + " (this server reads " + FORMAT
                                + ", " + DEFLATE_FORMAT + " and " + LEGACY_FORMAT + ")");
                    }
                    this.key = key(header, keyFile);
                    this.manifest = readManifest(zip.getEntry(MANIFEST), header.format(), header);
                }
            } catch (ZipException e) {
                channel.close();
                throw new Damaged("the archive is damaged (" + e.getMessage() + ")");
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** The SHA-256 of the whole file as it was opened. */
        String sha256() {
            return sha256;
        }

        private static String sha256(FileChannel channel) throws IOException {
            MessageDigest digest = BackupArchive.sha256();
            var buffer = java.nio.ByteBuffer.allocate(1 << 20);
            for (long position = 0; channel.read(buffer.clear(), position) > 0; position += buffer.position()) {
                digest.update(buffer.flip());
            }
            return hex(digest);
        }

        private static BackupKey key(Header header, Path keyFile) throws BackupKey.Unusable {
            String give = ": give the key it was made with by --backup-key-file FILE";
            BackupKey key;
            try {
                key = BackupKey.load(keyFile);
            } catch (BackupKey.Unusable e) {
                throw new BackupKey.Unusable("the archive is encrypted with backup key " + header.keyId() + ", and "
                        + e.getMessage() + give);
            }
            if (!key.id().equals(header.keyId())) {
                throw new BackupKey.Unusable("the archive is encrypted with backup key " + header.keyId()
                        + ", not with the key in " + keyFile + " (" + key.id() + ")" + give);
            }
            return key;
        }

        private Manifest readManifest(@Nullable ZipArchiveEntry entry, String format, @Nullable Header header)
                throws IOException {
            if (entry == null) {
                throw new Damaged("not a Steward backup: it has no " + MANIFEST);
            }
            Manifest read;
            try (InputStream in =
                    plain(entry, header == null ? null : header.format(), header == null ? null : header.backupId())) {
                read = MAPPER.readValue(in, Manifest.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new Damaged("the archive's " + MANIFEST + " is unreadable");
            } catch (IOException e) {
                throw damaged(MANIFEST, e);
            }
            if (!format.equals(read.format())) {
                throw new Damaged("the archive's header and manifest name different formats (" + format + ", "
                        + read.format() + ")");
            }
            if (header != null && !header.backupId().equals(read.backupId())) {
                throw new Damaged("the archive's header and manifest name different backups");
            }
            return read;
        }

        /** An entry's data: decrypted and decompressed, or as the zip holds it in the oldest format. */
        private InputStream plain(ZipArchiveEntry entry, @Nullable String format, @Nullable UUID backupId)
                throws IOException {
            InputStream raw = zip.getInputStream(entry);
            if (key == null || format == null || backupId == null) {
                return raw;
            }
            InputStream decrypted = key.decrypt(raw, associatedData(format, backupId, entry.getName()));
            if (FORMAT.equals(format)) {
                return new LZ4FrameInputStream(decrypted, LZ4.safeDecompressor(), XXHASH.hash32());
            }
            var inflater = new Inflater(true);
            return new InflaterInputStream(decrypted, inflater, 1 << 16) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        inflater.end();
                    }
                }
            };
        }

        Manifest manifest() {
            return manifest;
        }

        /**
         * Why this archive deserves a warning (the older, unencrypted format), or null.
         */
        @Nullable
        String warning() {
            return key != null
                    ? null
                    : "the archive is in the older unencrypted format " + LEGACY_FORMAT
                            + ": anyone who can read the file can read the data; new backups are encrypted";
        }

        /**
         * The data of {@code table}; once read to the end, {@link Checked#verify} tells whether it is
         * what the manifest recorded.
         */
        Checked open(TableData table) throws IOException {
            ZipArchiveEntry entry = zip.getEntry(tableEntry(table.name()));
            if (entry == null) {
                throw new Damaged("table " + table.name() + " is missing from the archive");
            }
            return new Checked(table, plain(entry, key == null ? null : manifest.format(), manifest.backupId()));
        }

        @Override
        public void close() throws IOException {
            try {
                zip.close();
            } finally {
                channel.close();
            }
        }
    }

    /** What a failed read of an entry says: damage, never the cipher's internals. */
    private static Damaged damaged(String entry, IOException e) {
        if (e instanceof Damaged damaged) {
            return damaged;
        }
        String what = e instanceof ZipException || e instanceof java.io.EOFException
                ? "(" + e.getMessage() + ")"
                : e.getCause() instanceof java.security.GeneralSecurityException
                                || String.valueOf(e.getMessage()).contains("Tag mismatch")
                        ? "(it does not authenticate: its bytes were changed)"
                        : "(" + e.getClass().getSimpleName() + ")";
        return new Damaged(entry + " is damaged in the archive " + what);
    }

    /** A table's data being read, with its hash taken on the way. */
    static final class Checked extends FilterInputStream {
        private final TableData table;
        private final MessageDigest digest;

        private Checked(TableData table, InputStream in) {
            this(table, in, sha256());
        }

        private Checked(TableData table, InputStream in, MessageDigest digest) {
            super(new DigestInputStream(in, digest));
            this.table = table;
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw damaged("table " + table.name(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw damaged("table " + table.name(), e);
            }
        }

        /** Reads what is left, then throws unless the data matches the manifest. */
        void verify() throws IOException {
            transferTo(OutputStream.nullOutputStream());
            String actual = hex(digest);
            if (!actual.equals(table.sha256())) {
                throw new Damaged("table " + table.name() + " does not match its checksum in the manifest");
            }
        }
    }

    /** The SHA-256 of a whole file, in hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return hex(digest);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM " + SchemaCatalog.quote(table))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** {@code out}, which closing leaves open (flushed). */
    static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
