package io.steward.server.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.server.api.ComplianceReport;
import io.steward.server.http.Json;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The SHA-256 every report carries, which identifies its evidence: of its JSON with the {@code
 * sha256} and {@code generation} fields removed, keys sorted, no white space. And what the
 * generation's signature is made over: the same canonical JSON of {@code {generation, sha256}},
 * the signature left out. Computed the same way from the report as made and from its JSON as
 * saved, so anyone holding the JSON can check both.
 */
final class ReportDigest {
    static final String DIGEST = "sha256";
    static final String GENERATION = "generation";
    static final String SIGNATURE = "signature";

    private static final ObjectMapper CANONICAL = Json.mapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

    private ReportDigest() {}

    /** The digest of a report as made: of its evidence, whoever generated it and whenever. */
    static String of(ComplianceReport report) {
        return evidenceDigest(tree(report));
    }

    /** The bytes a generation's signature is made over: {@code {generation (unsigned), sha256}}. */
    static byte[] signed(String digest, ComplianceReport.Generation generation) {
        Map<String, Object> unsignedGeneration = tree(generation);
        unsignedGeneration.remove(SIGNATURE);
        var whole = new LinkedHashMap<String, Object>();
        whole.put(GENERATION, unsignedGeneration);
        whole.put(DIGEST, digest);
        return canonical(whole);
    }

    /**
     * What a report's saved JSON says and what it should say: the digest its evidence gives and
     * the one it claims ({@code claimed}; null: none), and its generation as signed: the bytes the
     * signature is over, the signature (base64) and the key id it names (each null when absent).
     */
    record Check(
            String computed,
            @Nullable String claimed,
            byte @Nullable [] signedBytes,
            @Nullable String signature,
            @Nullable String keyId) {}

    /**
     * Reads a report's JSON and computes its digest and its generation's signed bytes.
     *
     * @throws IOException when {@code json} is not a JSON object
     */
    static Check ofJson(byte[] json) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = CANONICAL.readValue(json, LinkedHashMap.class);
        Object claimed = tree.get(DIGEST);
        Object generation = tree.get(GENERATION);
        byte[] signedBytes = null;
        String signature = null;
        String keyId = null;
        if (generation instanceof Map<?, ?> g) {
            var unsigned = new LinkedHashMap<Object, Object>(g);
            signature = unsigned.remove(SIGNATURE) instanceof String s ? s : null;
            keyId = unsigned.get("keyId") instanceof String k ? k : null;
            var whole = new LinkedHashMap<String, Object>();
            whole.put(GENERATION, unsigned);
            whole.put(DIGEST, claimed);
            signedBytes = canonical(whole);
        }
        return new Check(evidenceDigest(tree), claimed instanceof String s ? s : null, signedBytes, signature, keyId);
    }

    private static Map<String, Object> tree(Object value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = CANONICAL.convertValue(value, LinkedHashMap.class);
        return tree;
    }

    private static String evidenceDigest(Map<String, Object> tree) {
        tree.remove(DIGEST);
        tree.remove(GENERATION);
        return sha256(canonical(tree));
    }

    private static byte[] canonical(Map<String, ?> tree) {
        try {
            return CANONICAL.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report's tree is always JSON", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
