package io.udapi.trigger;

import io.udapi.config.UdapiConfig;
import io.udapi.token.SourceRanges;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Which address a trigger comes from, for the source ranges of its token (docs/tokens.md, "Source ranges"):
 * the TCP peer, unless the peer lies in {@code udapi.trusted-proxies}; then the right-most
 * {@code X-Forwarded-For} address that is not itself a trusted proxy.
 *
 * <p>Why right-most: each proxy appends the address it received the request from, so everything right
 * of the first untrusted address was written by trusted proxies, and everything left of it by the
 * client, who may write anything. For the same reason only the walked part counts: a malformed entry
 * that a trusted proxy would have written (an empty element, a name, {@code unknown}) makes the whole
 * header untrustworthy and the source is the peer, while garbage the client prepended further left is
 * never read. When every entry is a trusted proxy, the source is the left-most of them. Several
 * {@code X-Forwarded-For} headers are one list, in the order received (RFC 9110 5.3). Entries may carry
 * a port ({@code 192.0.2.1:443}, {@code [2001:db8::1]:443}) or brackets; the port is ignored.
 *
 * <p>The peer is read from the connection, not from {@link HttpServerRequest#remoteAddress()}, which a
 * forwarding wrapper of the HTTP layer may replace with a header value. Its text is the literal Vert.x
 * keeps per connection, so a direct peer costs no allocation; behind a trusted proxy the chosen entry is
 * copied once. Created at boot ({@code @Singleton}, injected where the routes are mounted) so that an
 * invalid {@code udapi.trusted-proxies} stops the start instead of the first trigger.
 */
@Singleton
public class SourceAddress {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    /** Null when no proxy is trusted (the default): the peer is always the source. */
    private final SourceRanges trusted;

    @Inject
    SourceAddress(UdapiConfig config) {
        this(trustedProxies(config.trustedProxies().orElse(List.of())));
    }

    SourceAddress(SourceRanges trusted) {
        this.trusted = trusted;
    }

    static SourceRanges trustedProxies(List<String> blocks) {
        if (blocks.isEmpty()) {
            return null;
        }
        SourceRanges.Parsed parsed = SourceRanges.parse("udapi.trusted-proxies", blocks);
        if (parsed.problem() != null) {
            throw new IllegalArgumentException(parsed.problem());
        }
        return parsed.ranges();
    }

    /** The bare address literal of the request's source, or null when the peer is unknown (fail closed). */
    String of(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        SocketAddress remote = connection == null ? null : connection.remoteAddress();
        String peer = remote == null || !remote.isInetSocket() ? null : bare(remote.host());
        if (peer == null || trusted == null || trusted.lookup(peer, 0, peer.length()) != SourceRanges.MATCH) {
            return peer;
        }
        return forwarded(peer, request.headers().getAll(X_FORWARDED_FOR));
    }

    /** The peer's host text without a zone id ({@code fe80::1%eth0}) or brackets. */
    static String bare(String host) {
        if (host == null) {
            return null;
        }
        int zone = host.indexOf('%');
        String address = zone < 0 ? host : host.substring(0, zone);
        if (address.length() > 1 && address.charAt(0) == '[') {
            int end = address.indexOf(']');
            return end < 0 ? null : address.substring(1, end);
        }
        return address;
    }

    /**
     * The source behind a trusted peer: walks the entries from the right (last header first).
     *
     * @param headers every {@code X-Forwarded-For} value, in the order received
     */
    String forwarded(String peer, List<String> headers) {
        String leftmostTrusted = null;
        int trustedFrom = 0;
        int trustedTo = 0;
        for (int h = headers.size() - 1; h >= 0; h--) {
            String value = headers.get(h);
            int end = value.length();
            while (true) {
                int comma = end == 0 ? -1 : value.lastIndexOf(',', end - 1);
                long span = addressSpan(value, comma + 1, end);
                int from = (int) (span >>> 32);
                int to = (int) span;
                int found = span < 0 ? SourceRanges.MALFORMED : trusted.lookup(value, from, to);
                if (found == SourceRanges.MALFORMED) {
                    return peer; // a trusted proxy wrote it: the header cannot be trusted
                }
                if (found == SourceRanges.NO_MATCH) {
                    return value.substring(from, to);
                }
                leftmostTrusted = value;
                trustedFrom = from;
                trustedTo = to;
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
        }
        return leftmostTrusted == null ? peer : leftmostTrusted.substring(trustedFrom, trustedTo);
    }

    /**
     * Where the address of the element {@code s[from, to)} lies, packed as {@code from << 32 | to}, or -1:
     * optional whitespace around it, then {@code addr}, {@code [addr]}, {@code [addr]:port} or
     * {@code ipv4:port} (port: 1..5 digits). The address itself is checked by the caller's lookup.
     */
    static long addressSpan(String s, int from, int to) {
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return -1;
        }
        if (s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            if (close < 0 || close >= to || (close + 1 < to && !isPort(s, close + 1, to))) {
                return -1;
            }
            return pack(from + 1, close);
        }
        int colon = -1;
        int colons = 0;
        for (int i = from; i < to && colons < 2; i++) {
            if (s.charAt(i) == ':') {
                colon = colons++ == 0 ? i : colon;
            }
        }
        if (colons == 1) {
            // exactly one colon: ipv4:port (an IPv6 literal has at least two)
            return isPort(s, colon, to) ? pack(from, colon) : -1;
        }
        return pack(from, to);
    }

    /** {@code s[colon, to)} is ':' and 1..5 digits. */
    private static boolean isPort(String s, int colon, int to) {
        if (s.charAt(colon) != ':' || to - colon < 2 || to - colon > 6) {
            return false;
        }
        for (int i = colon + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static long pack(int from, int to) {
        return ((long) from << 32) | to;
    }
}
