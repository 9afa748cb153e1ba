package io.udapi.token;

/**
 * Reads an IP address literal from text, character by character: dotted-quad IPv4 or IPv6 (RFC 4291
 * section 2.2, with an optional trailing dotted quad). Never a DNS lookup (a name is simply malformed)
 * and no allocation, so the trigger path can read a peer address or an {@code X-Forwarded-For} entry
 * on the event loop (docs/tokens.md, "Source ranges").
 *
 * <p>Refused: IPv4 octets with leading zeros ({@code 010.0.0.1}: some parsers read them as octal, so
 * the same text would mean two addresses), zone ids ({@code fe80::1%eth0}), brackets, ports, signs,
 * whitespace and anything longer than the longest literal (45 characters).
 *
 * <p>An instance is a mutable result holder confined to one thread: {@link #parse} overwrites every
 * field, and a caller reads them before it parses again. IPv4-mapped IPv6 addresses
 * ({@code ::ffff:192.0.2.1}, also written in hex) read as the IPv4 address they carry, because a
 * dual-stack socket reports IPv4 clients that way and a range written as IPv4 must match them.
 */
final class AddressText {

    static final int MALFORMED = 0;
    static final int V4 = 4;
    static final int V6 = 6;
    /** The longest IPv6 literal, {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    static final int MAX_LENGTH = 45;

    /** {@link #V4}, {@link #V6} or {@link #MALFORMED}, as the last {@link #parse} answered. */
    int family;
    /** The IPv4 address as an unsigned 32-bit value (only when {@link #family} is {@link #V4}). */
    long v4;
    /** The IPv6 address, high and low 64 bits (only when {@link #family} is {@link #V6}). */
    long hi;
    long lo;
    /** Whether the last IPv6 literal was IPv4-mapped ({@code ::ffff:0:0/96}); it then reads as {@link #V4}. */
    boolean mapped;

    /** Parses {@code s[from, to)}; answers the family ({@link #MALFORMED} when it is not a literal). */
    int parse(CharSequence s, int from, int to) {
        family = MALFORMED;
        mapped = false;
        int length = to - from;
        if (length < 2 || length > MAX_LENGTH) {
            return MALFORMED; // the shortest literal is "::"; IPv4 needs at least 7
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == ':') {
                return parseV6(s, from, to);
            }
        }
        long value = parseV4(s, from, to);
        if (value < 0) {
            return MALFORMED;
        }
        v4 = value;
        return family = V4;
    }

    /** Dotted-quad IPv4 as an unsigned value, or -1: four decimal octets 0..255 without leading zeros. */
    static long parseV4(CharSequence s, int from, int to) {
        long value = 0;
        int i = from;
        for (int octets = 0; ; ) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            if (++octets == 4) {
                return i == to ? value : -1;
            }
            if (i >= to || s.charAt(i) != '.') {
                return -1;
            }
            i++;
        }
    }

    /**
     * Groups before {@code ::} accumulate in {@code headHi:headLo}, groups after it in {@code tailHi:tailLo},
     * each by shifting the 128-bit pair left by 16 bits; at the end the head moves up past the groups
     * {@code ::} stands for. Eight groups in all without {@code ::}, at most seven with it.
     */
    private int parseV6(CharSequence s, int from, int to) {
        long headHi = 0;
        long headLo = 0;
        long tailHi = 0;
        long tailLo = 0;
        int head = 0;
        int tail = 0;
        boolean gap = false;
        int i = from;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return MALFORMED; // a single leading colon
            }
            gap = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            int group = 0;
            int digit;
            while (i < to && (digit = hex(s.charAt(i))) >= 0) {
                if (i - start == 4) {
                    return MALFORMED; // a group has at most 4 hex digits
                }
                group = (group << 4) | digit;
                i++;
            }
            if (i == start) {
                return MALFORMED; // an empty group: ":::", a trailing ':' or a stray character
            }
            int groups = 1;
            long value = group;
            if (i < to && s.charAt(i) == '.') {
                long quad = parseV4(s, start, to); // only as the last part
                if (quad < 0) {
                    return MALFORMED;
                }
                groups = 2;
                value = quad;
                i = to;
            }
            if (head + tail + groups > 8) {
                return MALFORMED;
            }
            int shift = 16 * groups;
            if (gap) {
                tailHi = (tailHi << shift) | (tailLo >>> (64 - shift));
                tailLo = (tailLo << shift) | value;
                tail += groups;
            } else {
                headHi = (headHi << shift) | (headLo >>> (64 - shift));
                headLo = (headLo << shift) | value;
                head += groups;
            }
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return MALFORMED;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap) {
                    return MALFORMED; // "::" at most once
                }
                gap = true;
                i++;
            } else if (i == to) {
                return MALFORMED; // a trailing single ':'
            }
        }
        if (gap ? head + tail > 7 : head != 8) {
            return MALFORMED;
        }
        for (int k = head; gap && k < 8; k++) {
            headHi = (headHi << 16) | (headLo >>> 48); // the head moves up past the tail and the zeros of "::"
            headLo <<= 16;
        }
        hi = headHi | tailHi;
        lo = headLo | tailLo;
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            mapped = true;
            v4 = lo & 0xFFFF_FFFFL;
            return family = V4;
        }
        return family = V6;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
