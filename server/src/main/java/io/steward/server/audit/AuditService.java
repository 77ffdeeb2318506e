package io.steward.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.server.db.Tx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes the audit trail. Each entry is appended inside the caller's transaction, so the state
 * change and its record commit together or not at all, and is chained:
 * {@code hash = SHA-256(prev_hash ‖ canonical JSON of the entry)}.
 */
public final class AuditService {
    private final AuditRepository repository;
    private final Clock clock;
    private final ObjectMapper canonical =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public AuditService(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** What happened, by whom, to whom; {@code details} hold before/after values and context. */
    public record Event(
            @Nullable UUID actorId,
            String action,
            @Nullable UUID subjectId,
            @Nullable String requestId,
            Map<String, ?> details) {}

    /** Appends {@code event} in the transaction {@code tx}; returns the new entry's id. */
    public UUID record(Tx tx, Event event) throws SQLException {
        repository.lockChain(tx);
        byte[] prev = repository.lastHash(tx);
        UUID id = UUID.randomUUID();
        // PostgreSQL keeps microseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String details = json(new TreeMap<>(event.details()));
        byte[] hash = chain(prev, canonicalJson(id, at, event, details));
        repository.insert(
                tx, id, at, event.actorId(), event.action(), event.subjectId(), event.requestId(), details, prev, hash);
        return id;
    }

    /** The canonical form of an entry: fixed key order, ISO-8601 UTC time, details as stored. */
    String canonicalJson(UUID id, Instant at, Event event, String detailsJson) {
        var row = new LinkedHashMap<String, @Nullable Object>();
        row.put("id", id.toString());
        row.put("at", at.toString());
        row.put("actorId", event.actorId() == null ? null : event.actorId().toString());
        row.put("action", event.action());
        row.put(
                "subjectId",
                event.subjectId() == null ? null : event.subjectId().toString());
        row.put("requestId", event.requestId());
        row.put("details", detailsJson);
        return json(row);
    }

    static byte[] chain(byte[] prev, String canonicalJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev);
            sha.update(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private String json(Object value) {
        try {
            return canonical.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be plain JSON values", e);
        }
    }
}
