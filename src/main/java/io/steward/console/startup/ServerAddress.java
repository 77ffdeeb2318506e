package io.steward.console.startup;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Turns what a person types as a server address into a base URL, or says what is wrong with it. */
public final class ServerAddress {
    private ServerAddress() {}

    /**
     * Accepts {@code host:port}, {@code http://host:port} and {@code https://host[:port]}, with
     * or without a trailing slash; a missing scheme means http.
     *
     * @throws IllegalArgumentException with a sentence for a person
     */
    public static URI parse(String typed) {
        String text = typed.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(
                    "Type the server's address, for example http://steward.example.org:8080");
        }
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("“" + typed.strip() + "” is not a web address.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The address must start with http:// or https://.");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("“" + typed.strip() + "” has no host name.");
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return URI.create(
                scheme + "://" + uri.getRawAuthority().replaceFirst(".*@", "").replaceFirst(":\\d+$", "") + port + "/");
    }
}
