package io.udapi.token;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The source addresses a token may trigger from: 1..{@value #MAX_RANGES} CIDR blocks, IPv4 or IPv6, in
 * canonical text form (docs/tokens.md, "Source ranges"). A token without ranges ({@code null}) accepts
 * every address. The same type holds {@code udapi.trusted-proxies}.
 *
 * <p>Validation at the boundary: {@link #parse} turns what a client sent into either a value or the
 * message naming the first offending entry; a {@code SourceRanges} is therefore always valid, canonical
 * (lower-case IPv6 as RFC 5952 writes it, always with a prefix) and free of duplicates, in the order
 * given. The rules, decided for udapi:
 * <ul>
 *   <li>a bare address is a single host ({@code /32} or {@code /128});</li>
 *   <li>host bits after the prefix are refused ({@code 10.1.2.3/8}): canonicalising it to
 *       {@code 10.0.0.0/8} would silently widen a typo of {@code /32} to a whole network;</li>
 *   <li>IPv4-mapped IPv6 blocks ({@code ::ffff:10.0.0.0/104}) are refused with the IPv4 spelling to use:
 *       mapped peers are matched as IPv4, so one spelling is enough;</li>
 *   <li>zone ids, IPv4 leading zeros, prefixes with a sign or leading zeros, whitespace, non-strings and
 *       an empty list (which would refuse every address; {@code null} allows all, {@code isDisabled}
 *       stops a token) are refused.</li>
 * </ul>
 *
 * <p>The compiled table ({@link AddressTable}) is built once, when the value is created, i.e. once per
 * token version; matching never allocates. Equality is that of the canonical list.
 */
public final class SourceRanges {

    public static final int MAX_RANGES = 100;
    /** Answers of {@link #lookup}. */
    public static final int MATCH = AddressTable.MATCH;
    public static final int NO_MATCH = AddressTable.NO_MATCH;
    public static final int MALFORMED = AddressTable.MALFORMED;
    /** How much of an offending entry a message quotes; a client may send megabytes. */
    private static final int QUOTE = 64;

    private final List<String> cidrs;
    private final AddressTable table;

    /**
     * From canonical or non-canonical but valid CIDR text (stores, configuration, tests).
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public SourceRanges(List<String> cidrs) {
        this(checked(Objects.requireNonNull(cidrs, "cidrs")));
    }

    private SourceRanges(Parsed parsed) {
        this.cidrs = parsed.ranges.cidrs;
        this.table = parsed.ranges.table;
    }

    private SourceRanges(List<String> canonical, AddressTable table) {
        this.cidrs = canonical;
        this.table = table;
    }

    private static Parsed checked(List<String> cidrs) {
        Parsed parsed = parse("cidrs", cidrs);
        if (parsed.ranges == null) {
            throw new IllegalArgumentException(parsed.problem);
        }
        return parsed;
    }

    /** Either valid ranges or the message of the first problem; exactly one is non-null. */
    public record Parsed(SourceRanges ranges, String problem) {
    }

    /**
     * Validates what a client sent, each element of any type (a JSON array read as objects).
     *
     * @param field the field name for messages, e.g. {@code allowedSourceRanges}
     */
    public static Parsed parse(String field, List<?> entries) {
        if (entries.isEmpty()) {
            return new Parsed(null, field + " is empty, which would refuse every address; send null to allow any"
                    + " address, or set isDisabled to stop the token");
        }
        if (entries.size() > MAX_RANGES) {
            return new Parsed(null, field + " has " + entries.size() + " entries; at most " + MAX_RANGES
                    + " are allowed (the first one over is " + field + "[" + MAX_RANGES + "])");
        }
        Set<String> canonical = new LinkedHashSet<>();
        List<Cidr> blocks = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            String where = field + "[" + i + "]";
            if (!(entry instanceof String text)) {
                return new Parsed(null, where + " is " + quote(String.valueOf(entry))
                        + ", not a string; write each block as a string such as \"10.0.0.0/8\"");
            }
            Cidr.Result cidr = Cidr.parse(text);
            if (cidr.problem() != null) {
                return new Parsed(null, where + " " + quote("'" + text + "'") + " " + cidr.problem());
            }
            if (canonical.add(cidr.cidr().toString())) {
                blocks.add(cidr.cidr());
            }
        }
        return new Parsed(new SourceRanges(List.copyOf(canonical), AddressTable.of(blocks)), null);
    }

    /** The canonical blocks, as stored and shown (the stored form is this plain array of strings). */
    @JsonValue
    public List<String> cidrs() {
        return cidrs;
    }

    /**
     * Whether the address literal lies in one of the blocks; a malformed one never does (fail closed).
     * No allocation for IPv4; IPv6 uses this thread's parser.
     */
    public boolean allows(CharSequence address) {
        return table.lookup(address, 0, address.length()) == MATCH;
    }

    /**
     * {@link #MATCH}, {@link #NO_MATCH} or {@link #MALFORMED} for the bare literal {@code s[from, to)};
     * allocates nothing.
     */
    public int lookup(CharSequence s, int from, int to) {
        return table.lookup(s, from, to);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceRanges ranges && ranges.cidrs.equals(cidrs);
    }

    @Override
    public int hashCode() {
        return cidrs.hashCode();
    }

    @Override
    public String toString() {
        return "SourceRanges" + cidrs;
    }

    private static String quote(String text) {
        return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "...";
    }

    /** One parsed block: the network address and the prefix length. */
    record Cidr(int family, long hi, long lo, int prefix) {

        record Result(Cidr cidr, String problem) {
        }

        static Result parse(String text) {
            int slash = text.indexOf('/');
            int end = slash < 0 ? text.length() : slash;
            if (text.indexOf('%') >= 0) {
                return problem("has a zone id; zones are not allowed in source ranges");
            }
            AddressText address = new AddressText();
            int family = address.parse(text, 0, end);
            if (family == AddressText.MALFORMED) {
                return problem("is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32,"
                        + " 192.0.2.1); names, ports, brackets, whitespace and IPv4 octets with leading zeros are"
                        + " not allowed");
            }
            int max = address.mapped || family == AddressText.V6 ? 128 : 32;
            int prefix = max;
            if (slash >= 0) {
                prefix = prefix(text, slash + 1);
                if (prefix < 0 || prefix > max) {
                    return problem("has an invalid prefix length; use a decimal 0.." + max + " without sign or"
                            + " leading zeros");
                }
            }
            if (address.mapped) {
                if (prefix < 96) {
                    return accept(AddressText.V6, 0, 0xFFFF_0000_0000L | address.v4, prefix, text);
                }
                Cidr v4 = new Cidr(AddressText.V4, 0, address.v4, prefix - 96);
                return problem("is an IPv4-mapped IPv6 block; write it as IPv4: " + v4.masked());
            }
            return family == AddressText.V4
                    ? accept(AddressText.V4, 0, address.v4, prefix, text)
                    : accept(AddressText.V6, address.hi, address.lo, prefix, text);
        }

        private static Result accept(int family, long hi, long lo, int prefix, String text) {
            Cidr cidr = new Cidr(family, hi, lo, prefix);
            Cidr network = cidr.masked();
            if (!network.equals(cidr)) {
                return problem("has host bits set after the /" + prefix + " prefix; write the network " + network
                        + ", or the single host with /" + (family == AddressText.V4 ? 32 : 128));
            }
            return new Result(cidr, null);
        }

        private static Result problem(String message) {
            return new Result(null, message);
        }

        /** 0..128 from decimal digits without leading zeros, else -1. */
        private static int prefix(String text, int from) {
            int length = text.length() - from;
            if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
                return -1;
            }
            int value = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }

        /** This block with every bit after the prefix cleared. */
        Cidr masked() {
            if (family == AddressText.V4) {
                long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
                return new Cidr(family, 0, lo & mask, prefix);
            }
            return new Cidr(family, hi & highMask(prefix), lo & lowMask(prefix), prefix);
        }

        /** The last address of the block, as {@code [hi, lo]} (IPv4: {@code lo} only). */
        long lastHi() {
            return family == AddressText.V4 ? 0 : hi | ~highMask(prefix);
        }

        long lastLo() {
            if (family == AddressText.V4) {
                return lo | ((1L << (32 - prefix)) - 1);
            }
            return lo | ~lowMask(prefix);
        }

        static long highMask(int prefix) {
            return prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        }

        static long lowMask(int prefix) {
            return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        }

        /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as "::"), then /prefix. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(48);
            if (family == AddressText.V4) {
                out.append(lo >>> 24).append('.').append((lo >>> 16) & 0xFF).append('.')
                        .append((lo >>> 8) & 0xFF).append('.').append(lo & 0xFF);
            } else {
                appendV6(out, hi, lo);
            }
            return out.append('/').append(prefix).toString();
        }

        private static void appendV6(StringBuilder out, long hi, long lo) {
            int[] groups = new int[8];
            for (int g = 0; g < 4; g++) {
                groups[g] = (int) (hi >>> (48 - 16 * g)) & 0xFFFF;
                groups[g + 4] = (int) (lo >>> (48 - 16 * g)) & 0xFFFF;
            }
            // RFC 5952 4.2: the longest run of two or more zero groups, the first one on a tie
            int bestStart = -1;
            int bestLength = 1;
            for (int g = 0; g < 8; ) {
                if (groups[g] != 0) {
                    g++;
                    continue;
                }
                int start = g;
                while (g < 8 && groups[g] == 0) {
                    g++;
                }
                if (g - start > bestLength) {
                    bestStart = start;
                    bestLength = g - start;
                }
            }
            for (int g = 0; g < 8; g++) {
                if (g == bestStart) {
                    out.append("::");
                    g += bestLength - 1;
                    continue;
                }
                if (g > 0 && g != bestStart + bestLength) {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[g]));
            }
        }
    }
}
