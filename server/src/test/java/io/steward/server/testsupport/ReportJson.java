package io.steward.server.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** Reads a compliance report's JSON: its figures by key, a table's rows. */
public final class ReportJson {
    private ReportJson() {}

    /** Every figure of every section, by key. */
    public static Map<String, JsonNode> figures(JsonNode report) {
        var figures = new TreeMap<String, JsonNode>();
        report.get("sections")
                .forEach(s ->
                        s.get("figures").forEach(f -> figures.put(f.get("key").asText(), f.get("value"))));
        return figures;
    }

    /** The rows of the first table with this key. */
    public static JsonNode table(JsonNode report, String key) {
        for (JsonNode section : report.get("sections")) {
            for (JsonNode table : section.get("tables")) {
                if (table.get("key").asText().equals(key)) {
                    return table.get("rows");
                }
            }
        }
        throw new AssertionError("no table " + key);
    }
}
