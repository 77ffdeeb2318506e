package io.steward.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The load balancers whose {@code X-Forwarded-For} the server believes. Behind a balancer every
 * connection comes from the balancer, so without this the per-address sign-in limit would count
 * every staff member as one address, and the audit trail would name the balancer. Only a
 * connection from a trusted proxy is asked who it forwards for; the client is the right-most
 * address in the header that is not itself a trusted proxy (the left part can be written by
 * anyone). None are trusted unless configured.
 */
public final class TrustedProxies {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F.:]+");

    private record Network(byte[] address, int prefix) {
        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (address[full] & mask);
        }
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = networks;
    }

    /**
     * Parses a comma-separated list of addresses and networks, e.g. {@code 10.0.0.0/8, ::1}.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or network
     */
    public static TrustedProxies parse(String raw) {
        var networks = new ArrayList<Network>();
        for (String item : raw.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress address = literal(host)
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address or network: " + entry));
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("not an IP address or network: " + entry);
                }
            }
            networks.add(new Network(address.getAddress(), prefix));
        }
        return new TrustedProxies(List.copyOf(networks));
    }

    /** An IP literal, never a name to look up. */
    private static java.util.Optional<InetAddress> literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!LITERAL.matcher(host).matches()
                || (!host.contains(":") && host.chars().filter(c -> c == '.').count() != 3)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    private boolean trusted(InetAddress address) {
        return networks.stream().anyMatch(n -> n.contains(address));
    }

    /** The client's address: {@code peer}, or whom a trusted {@code peer} says it forwards for. */
    public String clientOf(InetAddress peer, @Nullable String forwardedFor) {
        if (networks.isEmpty() || !trusted(peer) || forwardedFor == null) {
            return peer.getHostAddress();
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            var hop = literal(hops[i].strip());
            if (hop.isEmpty()) {
                break; // not an address: stop believing what comes before it
            }
            if (!trusted(hop.get())) {
                return hop.get().getHostAddress();
            }
        }
        return peer.getHostAddress();
    }
}
