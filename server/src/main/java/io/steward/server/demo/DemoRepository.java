package io.steward.server.demo;

import io.steward.server.db.BulkLoad;
import io.steward.server.db.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** SQL for demo data: the seed marker and streaming COPY into the academy's tables. */
public final class DemoRepository {
    /** Two servers starting at once on one database must not both seed. */
    private static final long SEED_LOCK = 0x5374657761726444L; // "StewardD"

    public void lockSeeding(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SEED_LOCK);
            ps.execute();
        }
    }

    /** How many users an earlier seeding loaded, if it happened. */
    public Optional<Integer> seededUsers(Tx tx) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement("SELECT users FROM demo_seed WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
        }
    }

    /** Records the seeding, with the index statements still to run after its commit. */
    public void markSeeded(Tx tx, int users, Instant at, List<String> pendingIndexes) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("INSERT INTO demo_seed (id, users, seeded_at, pending_indexes)"
                        + " VALUES (1, ?, ?, to_jsonb(?::text[]))")) {
            ps.setInt(1, users);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setArray(3, tx.connection().createArrayOf("text", pendingIndexes.toArray()));
            ps.executeUpdate();
        }
    }

    /** The index statements a seeding left to run (none once they have all run). */
    public List<String> pendingIndexes(Tx tx) throws SQLException {
        var pending = new ArrayList<String>();
        try (PreparedStatement ps = tx.connection()
                        .prepareStatement(
                                "SELECT jsonb_array_elements_text(pending_indexes) FROM demo_seed WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pending.add(rs.getString(1));
            }
        }
        return pending;
    }

    public void clearPendingIndexes(Tx tx) throws SQLException {
        try (PreparedStatement ps =
                tx.connection().prepareStatement("UPDATE demo_seed SET pending_indexes = '[]'::jsonb WHERE id = 1")) {
            ps.executeUpdate();
        }
    }

    /** Loading settings for this transaction only: bulk work, one commit at the end. */
    public void prepareBulkLoad(Tx tx) throws SQLException {
        BulkLoad.prepare(tx.connection());
    }

    /** See {@link BulkLoad#suspendConstraints}. */
    public List<String> suspendConstraints(Tx tx, List<String> tables) throws SQLException {
        return BulkLoad.suspendConstraints(tx.connection(), tables);
    }

    /** Runs statements, e.g. those returned by {@link #suspendConstraints}. */
    public void execute(Tx tx, List<String> statements) throws SQLException {
        BulkLoad.execute(tx.connection(), statements);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Opens {@code COPY table (columns) FROM STDIN} in CSV format within {@code tx}. */
    public Copy copy(Tx tx, String table, String columns) throws SQLException {
        CopyIn in = tx.connection()
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT csv)");
        return new Copy(in);
    }

    /**
     * Rows written in PostgreSQL's CSV COPY format and streamed in chunks: an unquoted empty
     * field is NULL, text is always quoted.
     */
    public static final class Copy implements AutoCloseable {
        private static final int FLUSH_AT = 1 << 20;
        private static final byte[] END = new byte[0];
        private final CopyIn in;
        private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 4096);
        // Rows are made on the caller's thread and sent on another, so generating the next
        // chunk overlaps with PostgreSQL parsing the last one.
        private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
        private final Thread sender;
        private volatile @Nullable SQLException sendFailure;
        private boolean first = true;
        private long rows;

        private Copy(CopyIn in) {
            this.in = in;
            this.sender = Thread.ofPlatform().name("demo-copy").daemon().start(this::send);
        }

        private void send() {
            try {
                for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                    if (sendFailure == null) {
                        in.writeToCopy(chunk, 0, chunk.length);
                    }
                }
            } catch (SQLException e) {
                sendFailure = e;
                chunks.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void separate() {
            if (!first) {
                buffer.append(',');
            }
            first = false;
        }

        public Copy text(@Nullable String value) {
            separate();
            if (value != null) {
                buffer.append('"');
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '"') {
                        buffer.append('"');
                    }
                    buffer.append(c);
                }
                buffer.append('"');
            }
            return this;
        }

        public Copy uuid(UUID value) {
            separate();
            buffer.append(value);
            return this;
        }

        public Copy number(long value) {
            separate();
            buffer.append(value);
            return this;
        }

        public Copy decimal(double value) {
            separate();
            buffer.append(Math.round(value * 100) / 100.0);
            return this;
        }

        public Copy bool(boolean value) {
            separate();
            buffer.append(value ? 't' : 'f');
            return this;
        }

        public Copy nothing() {
            separate();
            return this;
        }

        /** A timestamptz from epoch seconds (UTC), or NULL for a negative value. */
        public Copy timestamp(long epochSecond) {
            separate();
            if (epochSecond >= 0) {
                LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
                buffer.append(t.getYear()).append('-');
                two(t.getMonthValue()).append('-');
                two(t.getDayOfMonth()).append(' ');
                two(t.getHour()).append(':');
                two(t.getMinute()).append(':');
                two(t.getSecond()).append("+00");
            }
            return this;
        }

        /** A date from epoch days. */
        public Copy date(long epochDay) {
            separate();
            var d = java.time.LocalDate.ofEpochDay(epochDay);
            buffer.append(d.getYear()).append('-');
            two(d.getMonthValue()).append('-');
            two(d.getDayOfMonth());
            return this;
        }

        private StringBuilder two(int value) {
            if (value < 10) {
                buffer.append('0');
            }
            return buffer.append(value);
        }

        /** Ends the current row. */
        public void endRow() throws SQLException {
            buffer.append('\n');
            first = true;
            rows++;
            if (buffer.length() >= FLUSH_AT) {
                flush();
            }
        }

        private void flush() throws SQLException {
            hand(buffer.toString().getBytes(StandardCharsets.UTF_8));
            buffer.setLength(0);
        }

        private void hand(byte[] chunk) throws SQLException {
            SQLException failed = sendFailure;
            if (failed != null) {
                throw failed;
            }
            try {
                while (!chunks.offer(chunk, 1, TimeUnit.SECONDS)) {
                    if (sendFailure != null || !sender.isAlive()) {
                        throw Objects.requireNonNullElseGet(sendFailure, () -> new SQLException("COPY sender stopped"));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while loading demo data", e);
            }
        }

        public long rows() {
            return rows;
        }

        /** Sends what is left and ends the COPY. */
        public void finish() throws SQLException {
            flush();
            hand(END);
            try {
                sender.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while loading demo data", e);
            }
            if (sendFailure != null) {
                throw sendFailure;
            }
            in.endCopy();
        }

        /** Abandons an unfinished COPY (the transaction is rolled back by the caller). */
        @Override
        public void close() throws SQLException {
            if (sender.isAlive()) {
                sender.interrupt();
                try {
                    sender.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
