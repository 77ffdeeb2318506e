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

/**
 * The SHA-256 every report carries: of its JSON with the {@code sha256} field removed, keys
 * sorted, no white space. Computed the same way from the report as made and from its JSON as
 * saved, so anyone holding the JSON can check it.
 */
final class ReportDigest {
    private static final ObjectMapper CANONICAL = Json.mapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

    private ReportDigest() {}

    /** The digest of a report as made. */
    static String of(ComplianceReport report) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = CANONICAL.convertValue(report, LinkedHashMap.class);
        return of(tree);
    }

    /** The digest a report's saved JSON should carry, and the one it does ({@code claimed}; null: none). */
    record Check(
            String computed,
            @org.jspecify.annotations.Nullable String claimed) {}

    /**
     * Reads a report's JSON and computes its digest.
     *
     * @throws IOException when {@code json} is not a JSON object
     */
    static Check ofJson(byte[] json) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = CANONICAL.readValue(json, LinkedHashMap.class);
        Object claimed = tree.get("sha256");
        return new Check(of(tree), claimed instanceof String s ? s : null);
    }

    private static String of(Map<String, Object> tree) {
        tree.remove("sha256");
        try {
            return sha256(CANONICAL.writeValueAsBytes(tree));
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
