package io.steward.server.outbound;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The URL of a service Steward calls, as configured. It may carry secrets: user-info (sent as
 * HTTP Basic credentials), a query (an API key), a fragment. Only {@link #target()} and
 * {@link #authorization()} use them, to make the call; whatever leaves the process or is stored
 * (answers, events, {@code health_history}, logs, reports) gets {@link #shown()} — scheme, host,
 * port and path — and any text that may quote the URL, such as an HTTP client's error message,
 * goes through {@link #scrub}. {@code toString()} is {@link #shown()}.
 *
 * @param configured the URL as the operator wrote it, secrets included
 */
public record ServiceUrl(URI configured) {
    private static final String REDACTED = "***";
    /** Single user names, passwords and query values shorter than this are not hunted in text. */
    private static final int SHORTEST_PIECE = 4;

    /** Scheme, host, port and path: what Steward shows, stores and logs. */
    public String shown() {
        String host = configured.getHost();
        if (host == null) {
            return shown(configured.toString());
        }
        return configured.getScheme() + "://" + host + (configured.getPort() < 0 ? "" : ":" + configured.getPort())
                + Optional.ofNullable(configured.getRawPath()).orElse("");
    }

    /**
     * {@code raw} without user-info, query or fragment, for text that may not even be a valid
     * URL (an option the server refuses).
     */
    public static String shown(String raw) {
        String s = raw;
        int cut = indexOfAny(s, '?', '#');
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int end = s.indexOf('/', start);
            String authority = end < 0 ? s.substring(start) : s.substring(start, end);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                s = s.substring(0, start) + authority.substring(at + 1) + (end < 0 ? "" : s.substring(end));
            }
        }
        return s;
    }

    /** What is called: the configured URL without user-info (sent as a header instead) and fragment. */
    public URI target() {
        String query = configured.getRawQuery();
        return URI.create(shown() + (query == null ? "" : "?" + query));
    }

    /** {@code Basic …} from the user-info, when the URL has one. */
    public Optional<String> authorization() {
        String userInfo = configured.getUserInfo();
        if (userInfo == null) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code text} with the URL, written whole, replaced by {@link #shown()}, and every secret part
     * of it (the user-info, the query, the fragment, as written or decoded; a user name, password
     * or query value alone when it has at least four characters) replaced by {@code ***}.
     */
    public String scrub(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String whole : longestFirst(List.of(configured.toString(), decoded(configured), target().toString()))) {
            out = out.replace(whole, shown());
        }
        for (String secret : longestFirst(secrets())) {
            out = out.replace(secret, REDACTED);
        }
        return out;
    }

    @Override
    public String toString() {
        return shown();
    }

    private List<String> secrets() {
        var secrets = new ArrayList<String>();
        addWhole(secrets, configured.getRawUserInfo(), configured.getUserInfo());
        addWhole(secrets, configured.getRawQuery(), configured.getQuery());
        addWhole(secrets, configured.getRawFragment(), configured.getFragment());
        for (String info : nonNull(configured.getRawUserInfo(), configured.getUserInfo())) {
            for (String piece : info.split(":", 2)) {
                addPiece(secrets, piece);
            }
        }
        for (String query : nonNull(configured.getRawQuery(), configured.getQuery())) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                addPiece(secrets, eq < 0 ? pair : pair.substring(eq + 1));
            }
        }
        return secrets;
    }

    private static void addWhole(List<String> secrets, @Nullable String raw, @Nullable String decoded) {
        for (String s : nonNull(raw, decoded)) {
            if (!s.isEmpty()) {
                secrets.add(s);
            }
        }
    }

    private static void addPiece(List<String> secrets, String piece) {
        if (piece.length() >= SHORTEST_PIECE) {
            secrets.add(piece);
        }
    }

    private static List<String> nonNull(@Nullable String a, @Nullable String b) {
        var list = new ArrayList<String>(2);
        if (a != null) {
            list.add(a);
        }
        if (b != null) {
            list.add(b);
        }
        return list;
    }

    private static List<String> longestFirst(List<String> strings) {
        return strings.stream()
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** The URL with every part percent-decoded, as some messages quote it. */
    private static String decoded(URI uri) {
        if (uri.getHost() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://" + (uri.getUserInfo() == null ? "" : uri.getUserInfo() + "@") + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + Optional.ofNullable(uri.getPath()).orElse("")
                + (uri.getQuery() == null ? "" : "?" + uri.getQuery())
                + (uri.getFragment() == null ? "" : "#" + uri.getFragment());
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
