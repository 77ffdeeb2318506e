package io.steward.server.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.BackupStatus;
import io.steward.server.api.BackupVerification;
import io.steward.server.api.BackupView;
import io.steward.server.api.RestoreTestView;
import io.steward.server.api.WireName;
import io.steward.server.db.Keyset;
import io.steward.server.db.Statements;
import io.steward.server.db.Tx;
import io.steward.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code backups}. */
final class BackupRepository {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String COLUMNS = "id, status, trigger, created_at, completed_at, created_by, file_name,"
            + " size_bytes, tables, schema_version, checksum, error, verified, verified_at, verified_by,"
            + " verify_reason, pruned_at, manifest";

    void insertRunning(Tx tx, UUID id, String trigger, Instant at, @Nullable UUID actor) throws SQLException {
        try (var ps = Statements.prepare(
                tx,
                "INSERT INTO backups (id, status, trigger, created_at, created_by) VALUES (?, 'running', ?, ?, ?)",
                java.util.Arrays.asList(id, trigger, Timestamp.from(at), actor))) {
            ps.executeUpdate();
        }
    }

    void complete(Tx tx, UUID id, Instant at, String fileName, BackupArchive.Written written) throws SQLException {
        try (var ps = Statements.prepare(
                tx,
                "UPDATE backups SET status = 'completed', completed_at = ?, file_name = ?, size_bytes = ?, tables = ?,"
                        + " schema_version = ?, checksum = ?, manifest = ?::jsonb WHERE id = ? AND status = 'running'",
                List.of(
                        Timestamp.from(at),
                        fileName,
                        written.sizeBytes(),
                        written.manifest().tables().size(),
                        written.manifest().schemaVersion(),
                        written.sha256(),
                        json(written.manifest().tables()),
                        id))) {
            ps.executeUpdate();
        }
    }

    void fail(Tx tx, UUID id, Instant at, String error) throws SQLException {
        try (var ps = Statements.prepare(
                tx,
                "UPDATE backups SET status = 'failed', completed_at = ?, error = ? WHERE id = ? AND status = 'running'",
                List.of(Timestamp.from(at), error, id))) {
            ps.executeUpdate();
        }
    }

    /** Marks every running backup failed (they belong to a server that stopped); returns their ids. */
    List<UUID> failRunning(Tx tx, Instant at, String error) throws SQLException {
        return Statements.list(
                tx,
                "UPDATE backups SET status = 'failed', completed_at = ?, error = ? WHERE status = 'running' RETURNING id",
                List.of(Timestamp.from(at), error),
                rs -> rs.getObject(1, UUID.class));
    }

    void recordVerdict(Tx tx, UUID id, BackupVerification verdict, @Nullable UUID actor) throws SQLException {
        try (var ps = Statements.prepare(
                tx,
                "UPDATE backups SET verified = ?, verified_at = ?, verified_by = ?, verify_reason = ?,"
                        + " verify_tables = ?::jsonb WHERE id = ?",
                java.util.Arrays.asList(
                        verdict.verified(),
                        Timestamp.from(verdict.verifiedAt()),
                        actor,
                        verdict.reason(),
                        json(verdict.tables()),
                        id))) {
            ps.executeUpdate();
        }
    }

    void markPruned(Tx tx, UUID id, Instant at) throws SQLException {
        try (var ps = Statements.prepare(
                tx, "UPDATE backups SET pruned_at = ? WHERE id = ?", List.of(Timestamp.from(at), id))) {
            ps.executeUpdate();
        }
    }

    Optional<BackupView> find(Tx tx, UUID id) throws SQLException {
        return Statements.one(
                tx, "SELECT " + COLUMNS + " FROM backups WHERE id = ?", List.of(id), BackupRepository::view);
    }

    /** Newest first. */
    List<BackupView> list(Tx tx, int limit, @Nullable Keyset after) throws SQLException {
        var params = new ArrayList<Object>();
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM backups");
        if (after != null) {
            sql.append(" WHERE (created_at, id) < (?, ?)");
            params.add(Timestamp.from(after.at()));
            params.add(after.uuid());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return Statements.list(tx, sql.toString(), params, BackupRepository::view);
    }

    /** Completed backups whose file is still kept, newest first. */
    List<BackupView> kept(Tx tx) throws SQLException {
        return Statements.list(
                tx,
                "SELECT " + COLUMNS + " FROM backups WHERE status = 'completed' AND pruned_at IS NULL"
                        + " ORDER BY created_at DESC, id DESC",
                List.of(),
                BackupRepository::view);
    }

    /** When the newest backup that is running or completed was started. */
    Optional<Instant> newestStarted(Tx tx) throws SQLException {
        return Statements.one(
                tx,
                "SELECT created_at FROM backups WHERE status IN ('running', 'completed') ORDER BY created_at DESC LIMIT 1",
                List.of(),
                rs -> rs.getTimestamp(1).toInstant());
    }

    /** Records a restore test of the backup {@code backup} (its snapshot time is the recovery point). */
    void insertRestoreTest(Tx tx, BackupView backup, BackupVerification verdict, String trigger, @Nullable UUID actor)
            throws SQLException {
        try (var ps = Statements.prepare(
                tx,
                "INSERT INTO restore_tests (id, backup_id, trigger, started_at, duration_ms, recovery_point,"
                        + " verified, reason, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                java.util.Arrays.asList(
                        UUID.randomUUID(),
                        backup.id(),
                        trigger,
                        Timestamp.from(verdict.verifiedAt()),
                        verdict.durationMs(),
                        Timestamp.from(backup.createdAt()),
                        verdict.verified(),
                        verdict.verified() ? null : verdict.reason(),
                        actor))) {
            ps.executeUpdate();
        }
    }

    private static final String RESTORE_TEST_COLUMNS =
            "id, backup_id, trigger, started_at, duration_ms, recovery_point, verified, reason";

    /** The newest restore test with this trigger. */
    Optional<RestoreTestView> lastRestoreTest(Tx tx, String trigger) throws SQLException {
        return Statements.one(
                tx,
                "SELECT " + RESTORE_TEST_COLUMNS + " FROM restore_tests WHERE trigger = ?"
                        + " ORDER BY started_at DESC, id DESC LIMIT 1",
                List.of(trigger),
                BackupRepository::restoreTest);
    }

    /** The restore tests started in {@code [from, to)}, oldest first, at most {@code limit}. */
    List<RestoreTestView> restoreTests(Tx tx, Instant from, Instant to, int limit) throws SQLException {
        return Statements.list(
                tx,
                "SELECT " + RESTORE_TEST_COLUMNS + " FROM restore_tests WHERE started_at >= ? AND started_at < ?"
                        + " ORDER BY started_at, id LIMIT ?",
                List.of(Timestamp.from(from), Timestamp.from(to), limit),
                BackupRepository::restoreTest);
    }

    /**
     * When a restore test last proved a backup (its end), the newest backup's completion, where an
     * unproven stretch starts when nothing was ever proven (the first backup, or the installation),
     * and how long the last drill's restore took.
     */
    record Proof(
            @Nullable Instant lastProven,
            @Nullable Instant lastCompleted,
            Instant unprovenSince,
            @Nullable Long lastDrillMs) {}

    Proof proof(Tx tx) throws SQLException {
        return Statements.one(
                        tx,
                        "SELECT (SELECT max(proven_at) FROM restore_proofs),"
                                + " (SELECT max(completed_at) FROM backups WHERE status = 'completed'),"
                                + " coalesce((SELECT min(created_at) FROM backups),"
                                + " (SELECT min(installed_on) FROM flyway_schema_history), now()),"
                                + " (SELECT duration_ms FROM restore_proofs WHERE trigger = 'drill'"
                                + " ORDER BY proven_at DESC, id DESC LIMIT 1)",
                        List.of(),
                        rs -> new Proof(
                                instant(rs, 1),
                                instant(rs, 2),
                                rs.getTimestamp(3).toInstant(),
                                rs.getObject(4) == null ? null : rs.getLong(4)))
                .orElseThrow();
    }

    /** The drill schedule's turn: one instance at a time decides whether a drill is due. */
    boolean tryDrillLock(Tx tx) throws SQLException {
        return Statements.one(tx, "SELECT pg_try_advisory_xact_lock(7308154)", List.of(), rs -> rs.getBoolean(1))
                .orElse(false);
    }

    private static RestoreTestView restoreTest(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration_ms");
        Long durationMs = rs.wasNull() ? null : duration;
        return new RestoreTestView(
                rs.getObject("id", UUID.class),
                rs.getObject("backup_id", UUID.class),
                rs.getString("trigger"),
                rs.getTimestamp("started_at").toInstant(),
                durationMs,
                rs.getTimestamp("recovery_point").toInstant(),
                rs.getBoolean("verified"),
                rs.getString("reason"));
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    /** Makes concurrent schedulers (several server instances) take turns; held until commit. */
    boolean trySchedulerLock(Tx tx) throws SQLException {
        return Statements.one(tx, "SELECT pg_try_advisory_xact_lock(7308153)", List.of(), rs -> rs.getBoolean(1))
                .orElse(false);
    }

    private static BackupView view(ResultSet rs) throws SQLException {
        Instant created = rs.getTimestamp("created_at").toInstant();
        Instant completed = instant(rs, "completed_at");
        List<BackupArchive.TableData> tables = tables(rs.getString("manifest"));
        return new BackupView(
                rs.getObject("id", UUID.class),
                WireName.of(BackupStatus.class, rs.getString("status")),
                rs.getString("trigger"),
                created,
                completed,
                completed == null ? null : completed.toEpochMilli() - created.toEpochMilli(),
                rs.getObject("created_by", UUID.class),
                rs.getString("file_name"),
                (Long) rs.getObject("size_bytes"),
                (Integer) rs.getObject("tables"),
                tables.isEmpty()
                        ? null
                        : tables.stream()
                                .mapToLong(BackupArchive.TableData::rows)
                                .sum(),
                rs.getString("schema_version"),
                rs.getString("checksum"),
                rs.getString("error"),
                rs.getBoolean("verified"),
                instant(rs, "verified_at"),
                rs.getObject("verified_by", UUID.class),
                rs.getString("verify_reason"),
                instant(rs, "pruned_at"),
                contents(tables),
                List.of());
    }

    /** What a manifest says each table holds, as the API shows it. */
    static List<BackupView.TableContent> contents(List<BackupArchive.TableData> tables) {
        return tables.stream()
                .map(t -> new BackupView.TableContent(t.name(), t.rows(), t.bytes(), t.sha256()))
                .toList();
    }

    /** The per-table manifest a completed backup recorded. */
    static List<BackupArchive.TableData> tables(@Nullable String json) throws SQLException {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<List<BackupArchive.TableData>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable backup manifest", e);
        }
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static String json(Object value) throws SQLException {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write JSON", e);
        }
    }
}
