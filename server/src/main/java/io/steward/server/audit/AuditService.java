package io.steward.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.server.api.AuditCheckpoint;
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
import java.util.ArrayList;
import java.util.HashMap;
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
    private final @Nullable AuditCheckpoints checkpoints;
    private final java.util.concurrent.atomic.AtomicReference<@Nullable AuditCheckpoint> verifiedThrough =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final ObjectMapper canonical =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public AuditService(Database db, AuditRepository repository, SubjectKeyRepository keys, Clock clock) {
        this(db, repository, keys, clock, null);
    }

    /** Verifying against the signed checkpoints {@code checkpoints} holds, when not null. */
    public AuditService(
            Database db,
            AuditRepository repository,
            SubjectKeyRepository keys,
            Clock clock,
            @Nullable AuditCheckpoints checkpoints) {
        this.db = db;
        this.repository = repository;
        this.keys = keys;
        this.clock = clock;
        this.checkpoints = checkpoints;
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

    /** Checks the chain from the newest checkpoint an earlier check reached (see {@link #verify(boolean)}). */
    public AuditVerification verify() {
        return verify(false);
    }

    /**
     * Checks the chain: every entry must point at its predecessor's hash and hash to what it
     * stores (an edited row breaks its own hash; a deleted or inserted row breaks the link of the
     * row after it), and every checkpoint must be signed by this server's key and name an entry
     * that is there with the hash it names (entries cut off the end are missing from it). With
     * {@code full}, or when no earlier check reached a checkpoint, from the first entry kept;
     * otherwise from the newest checkpoint an earlier check of this instance reached, whose signed
     * hash the rest must chain from. One snapshot throughout.
     */
    public AuditVerification verify(boolean full) {
        List<AuditCheckpoint> onFile = checkpoints == null ? List.of() : checkpoints.fromFile();
        AuditVerification result = db.readInTransaction(tx -> {
            repository.snapshot(tx);
            return verify(tx, full, onFile);
        });
        if (!result.valid()) {
            verifiedThrough.set(null); // until a whole check passes again, every check is whole
        } else if (result.newestCheckpoint() != null
                && result.newestCheckpoint().seq() <= result.headSeq()) {
            verifiedThrough.set(result.newestCheckpoint());
        }
        return result;
    }

    private AuditVerification verify(Tx tx, boolean full, List<AuditCheckpoint> onFile) throws SQLException {
        long firstKept = repository.firstKeptSeq(tx);
        var problems = new ArrayList<String>();
        var signed = new ArrayList<AuditCheckpoint>();
        AuditCheckpoints signer = checkpoints;
        List<AuditCheckpoint> all = signer == null ? List.of() : signer.merge(tx, onFile);
        for (AuditCheckpoint checkpoint : all) {
            if (signer != null && !signer.signedHere(checkpoint)) {
                problems.add("the checkpoint of entry " + checkpoint.seq() + " dated " + checkpoint.at()
                        + " is not signed by this server's key "
                        + signer.key().keyId()
                        + ": it is forged, or an instance signs with a key of its own (every instance must be"
                        + " given the same --audit-signing-key-file)");
            } else if (checkpoint.seq() >= firstKept) {
                signed.add(checkpoint);
            }
        }
        @Nullable AuditCheckpoint start = full ? null : verifiedThrough.get();
        if (start != null) {
            var stored = repository.hashAt(tx, start.seq());
            if (start.seq() < firstKept
                    || stored.isEmpty()
                    || !HexFormat.of().formatHex(stored.get()).equals(start.hash())) {
                start = null; // gone or changed since: the whole chain is checked, which says where
            }
        }
        long after = start == null ? Long.MIN_VALUE : start.seq();
        var expected = new HashMap<Long, List<AuditCheckpoint>>();
        for (AuditCheckpoint checkpoint : signed) {
            if (checkpoint.seq() > after) {
                expected.computeIfAbsent(checkpoint.seq(), k -> new ArrayList<>())
                        .add(checkpoint);
            }
        }
        var state = new Object() {
            byte @Nullable [] expectedPrev;
            long checked;
            long first;
            long last;

            @Nullable
            UUID broken;
        };
        state.expectedPrev =
                start == null ? repository.chainStart(tx) : HexFormat.of().parseHex(start.hash());
        state.last = start == null ? 0 : start.seq();
        repository.walkAfter(tx, after, row -> {
            state.checked++;
            if (state.first == 0) {
                state.first = row.seq();
            }
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
            List<AuditCheckpoint> named = expected.remove(row.seq());
            if (named != null) {
                String hash = HexFormat.of().formatHex(row.hash());
                for (AuditCheckpoint checkpoint : named) {
                    if (!checkpoint.hash().equals(hash)) {
                        problems.add("entry " + row.seq() + " is not the one the checkpoint signed at "
                                + checkpoint.at() + " names: the chain was rewritten from there on");
                    }
                }
            }
            state.expectedPrev = row.hash();
            state.last = row.seq();
            return true;
        });
        AuditVerification.Missing missing = null;
        if (state.broken == null) {
            long end = state.last;
            expected.keySet().stream()
                    .filter(seq -> seq <= end)
                    .sorted()
                    .forEach(seq -> problems.add(
                            "entry " + seq + ", which a signed checkpoint names, is missing from the chain"));
            var beyond = signed.stream().filter(c -> c.seq() > end).toList();
            if (!beyond.isEmpty()) {
                AuditCheckpoint newest = beyond.getLast();
                missing = new AuditVerification.Missing(end, newest.seq());
                problems.add("entries " + (end + 1) + " to " + newest.seq() + " are missing: the chain ends at entry "
                        + end + " but the checkpoint signed at " + newest.at() + " names entry " + newest.seq());
            }
        }
        return new AuditVerification(
                state.broken == null && problems.isEmpty(),
                state.checked,
                state.broken,
                start == null ? "full" : "since-checkpoint",
                state.first == 0 ? state.last : state.first,
                state.last,
                all.size(),
                signed.isEmpty() ? null : signed.getLast(),
                missing,
                List.copyOf(problems));
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
