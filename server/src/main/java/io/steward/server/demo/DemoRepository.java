package io.steward.server.demo;

import io.steward.server.db.BulkLoad;
import io.steward.server.db.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
        List<String> names =
                java.util.Arrays.stream(columns.split(",")).map(String::strip).toList();
        var types = new ArrayList<String>();
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT a.atttypid::regtype::text FROM pg_attribute a"
                        + " WHERE a.attrelid = ?::regclass AND a.attname = ? AND NOT a.attisdropped")) {
            for (String name : names) {
                ps.setString(1, table);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no column " + table + "." + name);
                    }
                    types.add(rs.getString(1));
                }
            }
        }
        CopyIn in = tx.connection()
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT binary)");
        return new Copy(in, types);
    }

    /**
     * Rows written in PostgreSQL's binary COPY format (each value already in the column type's
     * binary form, so PostgreSQL parses no text) and streamed in chunks.
     */
    public static final class Copy implements AutoCloseable {
        private static final int FLUSH_AT = 1 << 20;
        private static final byte[] END = new byte[0];
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
        /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for dates and timestamps. */
        private static final long PG_EPOCH_SECOND = 946_684_800L;

        private static final long PG_EPOCH_DAY = 10_957L;
        private final CopyIn in;
        private final List<String> types;
        private byte[] buffer = new byte[FLUSH_AT + 65_536];
        private int length;
        // Rows are made on the caller's thread and sent on another, so generating the next
        // chunk overlaps with PostgreSQL reading the last one.
        private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
        private final Thread sender;
        private volatile @Nullable SQLException sendFailure;
        private int field;
        private long rows;

        private Copy(CopyIn in, List<String> types) {
            this.in = in;
            this.types = List.copyOf(types);
            this.sender = Thread.ofPlatform().name("demo-copy").daemon().start(this::send);
            bytes(SIGNATURE);
            int32(0); // flags
            int32(0); // header extension length
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

        /** Starts the next field: the row's field count first, and checks the column's type. */
        private String next(String... accepted) {
            if (field == 0) {
                int16(types.size());
            }
            if (field >= types.size()) {
                throw new IllegalStateException("more values than columns in a row");
            }
            String type = types.get(field++);
            if (accepted.length > 0 && !java.util.Arrays.asList(accepted).contains(type)) {
                throw new IllegalStateException("a value for a " + type + " column given as " + accepted[0]);
            }
            return type;
        }

        public Copy text(@Nullable String value) {
            String type = next("text", "character varying", "inet");
            if (value == null) {
                int32(-1);
            } else if (type.equals("inet")) {
                inet(value);
            } else {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                int32(utf8.length);
                bytes(utf8);
            }
            return this;
        }

        /** An IPv4 address as PostgreSQL's inet: family, bits, is-cidr, length, the four bytes. */
        private void inet(String dotted) {
            String[] parts = dotted.split("\\.");
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            int32(8);
            ensure(8);
            buffer[length++] = 2; // PGSQL_AF_INET
            buffer[length++] = 32;
            buffer[length++] = 0;
            buffer[length++] = 4;
            for (String part : parts) {
                buffer[length++] = (byte) Integer.parseInt(part);
            }
        }

        public Copy uuid(UUID value) {
            next("uuid");
            int32(16);
            int64(value.getMostSignificantBits());
            int64(value.getLeastSignificantBits());
            return this;
        }

        public Copy number(long value) {
            switch (next("smallint", "integer", "bigint")) {
                case "smallint" -> {
                    int32(2);
                    int16((int) value);
                }
                case "integer" -> {
                    int32(4);
                    int32((int) value);
                }
                default -> {
                    int32(8);
                    int64(value);
                }
            }
            return this;
        }

        /**
         * A numeric with two decimals (0 <= value < 10 000): PostgreSQL's base-10 000 digits,
         * weight, sign and display scale.
         */
        public Copy decimal(double value) {
            next("numeric");
            long cents = Math.round(value * 100);
            if (cents < 0 || cents >= 1_000_000) {
                throw new IllegalArgumentException("decimal out of range: " + value);
            }
            int whole = (int) (cents / 100);
            int fraction = (int) (cents % 100) * 100;
            var digits = new ArrayList<Integer>(2);
            int weight;
            if (whole > 0) {
                digits.add(whole);
                weight = 0;
                if (fraction > 0) {
                    digits.add(fraction);
                }
            } else {
                weight = -1;
                if (fraction > 0) {
                    digits.add(fraction);
                } else {
                    weight = 0;
                }
            }
            int32(8 + 2 * digits.size());
            int16(digits.size());
            int16(weight);
            int16(0); // positive
            int16(2); // display scale
            digits.forEach(this::int16);
            return this;
        }

        public Copy bool(boolean value) {
            next("boolean");
            int32(1);
            ensure(1);
            buffer[length++] = (byte) (value ? 1 : 0);
            return this;
        }

        public Copy nothing() {
            next();
            int32(-1);
            return this;
        }

        /** A timestamptz from epoch seconds (UTC), or NULL for a negative value. */
        public Copy timestamp(long epochSecond) {
            next("timestamp with time zone");
            if (epochSecond < 0) {
                int32(-1);
            } else {
                int32(8);
                int64((epochSecond - PG_EPOCH_SECOND) * 1_000_000L);
            }
            return this;
        }

        /** A date from epoch days. */
        public Copy date(long epochDay) {
            next("date");
            int32(4);
            int32((int) (epochDay - PG_EPOCH_DAY));
            return this;
        }

        /** Ends the current row. */
        public void endRow() throws SQLException {
            if (field != types.size()) {
                throw new IllegalStateException("a row with " + field + " values for " + types.size() + " columns");
            }
            field = 0;
            rows++;
            if (length >= FLUSH_AT) {
                flush();
            }
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        private void bytes(byte[] value) {
            ensure(value.length);
            System.arraycopy(value, 0, buffer, length, value.length);
            length += value.length;
        }

        private void int16(int value) {
            ensure(2);
            buffer[length++] = (byte) (value >>> 8);
            buffer[length++] = (byte) value;
        }

        private void int32(int value) {
            ensure(4);
            buffer[length++] = (byte) (value >>> 24);
            buffer[length++] = (byte) (value >>> 16);
            buffer[length++] = (byte) (value >>> 8);
            buffer[length++] = (byte) value;
        }

        private void int64(long value) {
            int32((int) (value >>> 32));
            int32((int) value);
        }

        private void flush() throws SQLException {
            hand(java.util.Arrays.copyOf(buffer, length));
            length = 0;
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
            int16(-1); // the trailer
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
