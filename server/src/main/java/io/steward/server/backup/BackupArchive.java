package io.steward.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.http.Json;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
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
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * The backup file: a zip holding each table's data as PostgreSQL binary COPY output (rows in
 * primary-key order) and a {@code manifest.json} naming the schema version and, per table, its
 * columns, row count and the SHA-256 of its data. The same hash checks the archive entry and, after
 * a restore, the restored table exported again the same way.
 */
final class BackupArchive {
    static final String FORMAT = "steward-backup/1";
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper MAPPER = Json.mapper();

    private BackupArchive() {}

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
     * Writes every table {@code snapshot} sees to {@code file} (created, must not exist), then
     * forces it to disk. {@code snapshot} should be in a REPEATABLE READ transaction so that the
     * tables are consistent with each other.
     */
    static Written write(Connection snapshot, List<SchemaCatalog.Table> tables, Path file, Manifest header)
            throws IOException, SQLException {
        MessageDigest fileDigest = sha256();
        var copy = snapshot.unwrap(PGConnection.class).getCopyAPI();
        var contents = new ArrayList<TableData>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(
                    new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), fileDigest), 1 << 20);
            var zip = new ZipOutputStream(out);
            // fast compression: the archive is written while the server serves, and COPY's binary
            // rows compress well even so
            zip.setLevel(Deflater.BEST_SPEED);
            for (SchemaCatalog.Table table : tables) {
                long rows = count(snapshot, table.name());
                zip.putNextEntry(new ZipEntry("tables/" + table.name() + ".copy"));
                MessageDigest digest = sha256();
                var counting = new CountingOutputStream(new DigestOutputStream(nonClosing(zip), digest));
                copy.copyOut("COPY (" + table.orderedSelect(table.columns()) + ") TO STDOUT (FORMAT binary)", counting);
                zip.closeEntry();
                contents.add(new TableData(table.name(), table.columns(), rows, counting.count, hex(digest)));
            }
            var manifest = header.withTables(List.copyOf(contents));
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.finish();
            out.flush();
            channel.force(true);
            return new Written(manifest, channel.size(), hex(fileDigest));
        }
    }

    /** An archive opened for reading. */
    static final class Reader implements Closeable {
        private final ZipFile zip;
        private final Manifest manifest;

        Reader(Path file) throws IOException {
            try {
                this.zip = new ZipFile(file.toFile());
            } catch (ZipException e) {
                throw new Damaged("not a readable backup archive (" + e.getMessage() + ")");
            }
            try {
                ZipEntry entry = zip.getEntry(MANIFEST);
                if (entry == null) {
                    throw new Damaged("not a Steward backup: it has no " + MANIFEST);
                }
                Manifest read;
                try (InputStream in = zip.getInputStream(entry)) {
                    read = MAPPER.readValue(in, Manifest.class);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new Damaged("the archive's " + MANIFEST + " is unreadable");
                }
                if (!FORMAT.equals(read.format())) {
                    throw new Damaged(
                            "unknown archive format " + read.format() + " (this server reads " + FORMAT + ")");
                }
                this.manifest = read;
            } catch (ZipException e) {
                zip.close();
                throw new Damaged("the archive is damaged (" + e.getMessage() + ")");
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        Manifest manifest() {
            return manifest;
        }

        /**
         * The data of {@code table}; once read to the end, {@link Checked#verify} tells whether it is
         * what the manifest recorded.
         */
        Checked open(TableData table) throws IOException {
            ZipEntry entry = zip.getEntry("tables/" + table.name() + ".copy");
            if (entry == null) {
                throw new Damaged("table " + table.name() + " is missing from the archive");
            }
            return new Checked(table, zip.getInputStream(entry));
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
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
            } catch (ZipException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException e) {
                throw damaged(e);
            }
        }

        private Damaged damaged(ZipException e) {
            return new Damaged("table " + table.name() + " is damaged in the archive (" + e.getMessage() + ")");
        }

        /** Reads what is left, then throws unless the data matches the manifest. */
        void verify() throws IOException {
            in.transferTo(OutputStream.nullOutputStream());
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

    private static OutputStream nonClosing(OutputStream out) {
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

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
