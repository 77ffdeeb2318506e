package io.steward.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.server.api.AuditEntry;
import io.steward.server.api.AuditVerification;
import io.steward.server.api.Page;
import io.steward.server.db.Database;
import io.steward.server.db.Keyset;
import io.steward.server.db.Tx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes the audit trail. Each entry is appended inside the caller's transaction, so the state
 * change and its record commit together or not at all, and is chained:
 * {@code hash = SHA-256(prev_hash ‖ canonical JSON of the entry)}.
 */
public final class AuditService {
    private final Database db;
    private final AuditRepository repository;
    private final SubjectKeyRepository keys;
    private final PersonalValues crypto = new PersonalValues();
    private final Clock clock;
    private final ObjectMapper canonical =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public AuditService(Database db, AuditRepository repository, SubjectKeyRepository keys, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * What happened, by whom, to whom. {@code details} hold context and before/after values that are
     * not personal; {@code personal} holds the subject's personal values (a name before and after a
     * rectification, a free-text reason), which are stored encrypted with the subject's key.
     */
    public record Event(
            @Nullable UUID actorId,
            String action,
            @Nullable UUID subjectId,
            @Nullable String requestId,
            Map<String, ?> details,
            Map<String, ?> personal) {

        public Event(
                @Nullable UUID actorId,
                String action,
                @Nullable UUID subjectId,
                @Nullable String requestId,
                Map<String, ?> details) {
            this(actorId, action, subjectId, requestId, details, Map.of());
        }
    }

    /** Marker stored instead of personal values whose subject was erased. */
    public static final String ERASED = "erased";

    /** An entry as it was appended, announced once its transaction committed. */
    public record Recorded(UUID id, Instant at, Event event) {}

    private final java.util.List<java.util.function.Consumer<Recorded>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} for each entry whose transaction has committed (never for one that
     * rolled back), on the thread that committed it; it must be quick.
     */
    public void onCommitted(java.util.function.Consumer<Recorded> listener) {
        listeners.add(listener);
    }

    /** Appends {@code event} in the transaction {@code tx}; returns the new entry's id. */
    public UUID record(Tx tx, Event event) throws SQLException {
        repository.lockChain(tx);
        byte[] prev = repository.lastHash(tx);
        UUID id = UUID.randomUUID();
        // PostgreSQL keeps microseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var all = new TreeMap<String, Object>(event.details());
        if (!event.personal().isEmpty()) {
            if (event.subjectId() == null) {
                throw new IllegalArgumentException("personal values need a subject whose key protects them");
            }
            Optional<byte[]> key = keys.keyFor(tx, event.subjectId(), crypto.newKey(), at);
            all.put(
                    "personal",
                    key.map(k -> crypto.seal(k, json(new TreeMap<>(event.personal()))))
                            .orElse(ERASED));
        }
        String details = json(all);
        byte[] hash = chain(
                prev,
                canonicalJson(id, at, event.actorId(), event.action(), event.subjectId(), event.requestId(), details));
        repository.insert(
                tx, id, at, event.actorId(), event.action(), event.subjectId(), event.requestId(), details, prev, hash);
        if (!listeners.isEmpty()) {
            var recorded = new Recorded(id, at, event);
            tx.afterCommit(() -> listeners.forEach(l -> l.accept(recorded)));
        }
        return id;
    }

    /** One page of the trail, newest first. */
    public Page<AuditEntry> list(AuditRepository.Query query, int limit, @Nullable Keyset after) {
        record Found(List<AuditRepository.Row> rows, Map<UUID, byte[]> keys, Map<UUID, String> actors) {}
        Found found = db.read(tx -> {
            var rows = repository.list(tx, query, after, limit);
            var subjects = new HashSet<UUID>();
            var actors = new HashSet<UUID>();
            for (var row : rows) {
                Optional.ofNullable(row.subjectId()).ifPresent(subjects::add);
                Optional.ofNullable(row.actorId()).ifPresent(actors::add);
            }
            return new Found(rows, keys.keys(tx, subjects), repository.names(tx, actors));
        });
        List<AuditRepository.Row> rows = found.rows();
        List<AuditEntry> entries = rows.stream()
                .limit(limit)
                .map(row -> entry(row, found.keys(), found.actors()))
                .toList();
        if (rows.size() <= limit) {
            return new Page<>(entries, null);
        }
        AuditRepository.Row last = rows.get(limit - 1);
        return new Page<>(entries, Keyset.of(last.at(), last.seq()).encode());
    }

    /**
     * Walks the whole chain: every entry must point at its predecessor's hash and hash to what it
     * stores. An edited row breaks its own hash; a deleted or inserted row breaks the link of the
     * row after it.
     */
    public AuditVerification verify() {
        return db.inTransaction(tx -> {
            var state = new Object() {
                byte[] expectedPrev = repository.chainStart(tx);
                long checked;

                @Nullable
                UUID broken;
            };
            repository.walk(tx, row -> {
                state.checked++;
                byte[] recomputed = chain(
                        row.prevHash(),
                        canonicalJson(
                                row.id(),
                                row.at(),
                                row.actorId(),
                                row.action(),
                                row.subjectId(),
                                row.requestId(),
                                canonicalDetails(row.details())));
                if (!MessageDigest.isEqual(row.prevHash(), state.expectedPrev)
                        || !MessageDigest.isEqual(recomputed, row.hash())) {
                    state.broken = row.id();
                    return false;
                }
                state.expectedPrev = row.hash();
                return true;
            });
            return new AuditVerification(state.broken == null, state.checked, state.broken);
        });
    }

    private AuditEntry entry(AuditRepository.Row row, Map<UUID, byte[]> subjectKeys, Map<UUID, String> actors) {
        Map<String, Object> details = parse(row.details());
        if (details.get("personal") instanceof String sealed && !sealed.equals(ERASED)) {
            byte[] key = row.subjectId() == null ? null : subjectKeys.get(row.subjectId());
            details.put("personal", key == null ? ERASED : open(key, sealed));
        }
        return new AuditEntry(
                row.id(),
                row.at(),
                row.actorId(),
                row.action(),
                row.subjectId(),
                row.requestId(),
                details,
                HexFormat.of().formatHex(row.hash()),
                row.actorId() == null ? null : actors.get(row.actorId()));
    }

    /** The SHA-256 of the last download of a subject's data at or after {@code since}, if any. */
    public Optional<String> lastExportDigest(Tx tx, UUID subject, Instant since) throws SQLException {
        return repository.lastExportDigest(tx, subject, since);
    }

    /** Stored details as their subject may read them: personal values decrypted, or "erased". */
    public Map<String, Object> readableDetails(Tx tx, @Nullable UUID subject, String storedJson) throws SQLException {
        Map<String, Object> details = parse(storedJson);
        if (details.get("personal") instanceof String sealed && !sealed.equals(ERASED)) {
            byte[] key =
                    subject == null ? null : keys.keys(tx, List.of(subject)).get(subject);
            details.put("personal", key == null ? ERASED : open(key, sealed));
        }
        return details;
    }

    private Object open(byte[] key, String sealed) {
        try {
            return parse(crypto.open(key, sealed));
        } catch (java.security.GeneralSecurityException e) {
            return "unreadable";
        }
    }

    /** The canonical form of an entry: fixed key order, ISO-8601 UTC time, details as stored. */
    public String canonicalJson(
            UUID id,
            Instant at,
            @Nullable UUID actorId,
            String action,
            @Nullable UUID subjectId,
            @Nullable String requestId,
            String detailsJson) {
        var row = new LinkedHashMap<String, @Nullable Object>();
        row.put("id", id.toString());
        row.put("at", at.toString());
        row.put("actorId", actorId == null ? null : actorId.toString());
        row.put("action", action);
        row.put("subjectId", subjectId == null ? null : subjectId.toString());
        row.put("requestId", requestId);
        row.put("details", detailsJson);
        return json(row);
    }

    /** The details as they were hashed: jsonb reorders keys, so sort them again. */
    private String canonicalDetails(String storedJson) {
        return json(parse(storedJson));
    }

    private Map<String, Object> parse(String json) {
        try {
            return canonical.readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details are not a JSON object", e);
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> DETAILS =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    public static byte[] chain(byte[] prev, String canonicalJson) {
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
