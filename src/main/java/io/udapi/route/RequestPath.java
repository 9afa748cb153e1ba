package io.udapi.route;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The route part of a trigger request: the raw path after {@code /api/custom/} (without the query),
 * split into segments with leading, trailing and repeated slashes ignored, each segment percent-decoded
 * as UTF-8 (docs/architecture.md, "The trigger path"). Decoding happens per segment, after splitting, so {@code a%2Fb} is the single
 * segment {@code a/b}. {@code +} stays a plus sign: form encoding does not apply to paths. Dot segments
 * ({@code .}, {@code ..}) have no special meaning; they are ordinary text.
 *
 * <p><b>Malformed input</b> ({@code %} not followed by two hex digits, or escapes that are not valid
 * UTF-8, e.g. {@code %FF}) does not throw: the path is {@linkplain #malformed() malformed}, holds its
 * segments undecoded (for logs and messages), and {@link RouteTable#match(RequestPath)} matches nothing,
 * so the caller answers "no such route". Replacing bad bytes with U+FFFD, or keeping them verbatim,
 * would let a broken request match a route it never named.
 *
 * @param segments  decoded segments, none empty; undecoded when {@code malformed}
 * @param malformed whether some segment had a bad percent escape
 */
public record RequestPath(List<String> segments, boolean malformed) {

    public RequestPath {
        // of() hands over its own immutable list; anything else is copied
        segments = segments instanceof Segments ? segments : List.copyOf(segments);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("request path segments must not be empty: " + segments);
            }
        }
    }

    /**
     * Splits and decodes the raw suffix. Never throws for any non-null input.
     *
     * @param rawSuffix the path after {@code /api/custom/} as received (still percent-encoded), no query
     */
    public static RequestPath of(String rawSuffix) {
        Objects.requireNonNull(rawSuffix, "rawSuffix");
        // One array of exactly the segment count, wrapped once: no intermediate lists (hot path).
        int count = 0;
        int length = rawSuffix.length();
        for (int i = 0; i < length; i++) {
            if (rawSuffix.charAt(i) != '/' && (i == 0 || rawSuffix.charAt(i - 1) == '/')) {
                count++;
            }
        }
        String[] segments = count == 0 ? Segments.NONE : new String[count];
        boolean malformed = false;
        int k = 0;
        int start = 0;
        while (k < count) {
            int end = rawSuffix.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                String raw = rawSuffix.substring(start, end);
                String value = malformed ? raw : decode(raw);
                if (value == null) {
                    malformed = true; // keep every segment undecoded: redo the ones already decoded
                    k = 0;
                    start = 0;
                    continue;
                }
                segments[k++] = value;
            }
            start = end + 1;
        }
        return new RequestPath(new Segments(segments), malformed);
    }

    /** No segments: {@code /api/custom}, {@code /api/custom/} or only slashes (answered 400/1). */
    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /**
     * The normalised route as sent (case kept), segments joined with {@code /}: for logs and messages only,
     * since a decoded {@code %2F} makes it ambiguous.
     */
    public String route() {
        return String.join("/", segments);
    }

    /** Percent-decodes one segment as UTF-8, or returns null when it is malformed. */
    private static String decode(String segment) {
        int percent = segment.indexOf('%');
        if (percent < 0) {
            return segment; // the common case: nothing to decode, no allocation
        }
        // Unescaped characters are re-encoded to UTF-8 so that they and escaped bytes decode as one
        // sequence; a UTF-8 character never needs more than three bytes per UTF-16 unit.
        byte[] bytes = new byte[segment.length() * 3];
        int length = 0;
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) == '%') {
                int high = i + 1 < segment.length() ? hex(segment.charAt(i + 1)) : -1;
                int low = i + 2 < segment.length() ? hex(segment.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 3;
            } else {
                int next = segment.indexOf('%', i);
                int end = next < 0 ? segment.length() : next;
                byte[] plain = segment.substring(i, end).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(plain, 0, bytes, length, plain.length);
                length += plain.length;
                i = end;
            }
        }
        try {
            // newDecoder() reports malformed input, unlike new String(bytes, UTF_8), which substitutes.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** An immutable list over an array that nothing else references. */
    private static final class Segments extends AbstractList<String> implements RandomAccess {
        static final String[] NONE = new String[0];
        private final String[] items;

        Segments(String[] items) {
            this.items = items;
        }

        @Override
        public String get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    /** ASCII hex only: {@link Character#digit} would also accept fullwidth and other Unicode digits. */
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
