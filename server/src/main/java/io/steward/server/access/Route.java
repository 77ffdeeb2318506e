package io.steward.server.access;

import java.util.List;

/**
 * One entry of the API: method, path template ({@code /api/v1/users/{id}}) and the permission
 * it needs. The table of all of them is {@link io.steward.server.access.AccessPolicy}.
 */
public record Route(String method, String template, Permission permission) {

    /** The template's segments; {@code {name}} segments match any one non-empty segment. */
    public List<String> segments() {
        return split(template);
    }

    public static List<String> split(String path) {
        return java.util.Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Literal segments beat parameters, so {@code /users/export.csv} wins over {@code /users/{id}}. */
    public int specificity() {
        return (int) segments().stream().filter(s -> !s.startsWith("{")).count();
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
