package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request-path decoding and route matching (docs/concepts.md, "Routes") against arbitrary input. Seeds:
 * {@code src/test/resources/io/udapi/route/RoutingFuzzTestInputs/route/}; docs/fuzzing.md.
 *
 * <p><b>Input format</b> (UTF-8 text, so seeds are readable): lines up to a line {@code =} are routes of
 * the table, the lines after it are raw request paths (after {@code /api/custom/}, still percent-encoded).
 * Without a {@code =} line the last line is the one request path.
 *
 * <p>Properties:
 * <ul>
 *   <li>nothing throws: not {@link RequestPath#of}, not building the table, not matching;</li>
 *   <li>decode after encode is the identity: the decoded segments of a path, percent-encoded again (hex in
 *       either case, slashes repeated), decode to the same segments;</li>
 *   <li>a path without {@code %} decodes to its non-empty slash-separated pieces, unchanged;</li>
 *   <li>{@code tryAdd} refuses a route exactly when a naive check finds a conflicting route already added;</li>
 *   <li>{@link RouteTable#match} agrees with a naive matcher: every route with the same segment count whose
 *       literals equal the request segments with ASCII letters folded, the winner being the one whose first
 *       differing segment is a literal; same parameters. A malformed path matches nothing.</li>
 * </ul>
 */
class RoutingFuzzTest {

    private static final int MAX_ROUTES = 32;
    private static final String UPPER_HEX = "0123456789ABCDEF";
    private static final String LOWER_HEX = "0123456789abcdef";

    @FuzzTest(maxDuration = "15s")
    void route(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(text.split("\n", -1));
        int separator = lines.indexOf("=");
        List<String> routeLines = separator >= 0 ? lines.subList(0, separator) : lines.subList(0, Math.max(0, lines.size() - 1));
        List<String> paths = separator >= 0 ? lines.subList(separator + 1, lines.size()) : lines.subList(lines.size() - 1, lines.size());

        RouteTable.Builder<RoutePattern> builder = RouteTable.builder();
        List<RoutePattern> added = new ArrayList<>();
        for (String line : routeLines) {
            if (added.size() == MAX_ROUTES) {
                break;
            }
            if (!(RoutePattern.parse(line) instanceof RouteParse.Valid valid)) {
                continue;
            }
            RoutePattern pattern = valid.pattern();
            boolean naiveConflict = added.stream().anyMatch(other -> conflict(other, pattern));
            Optional<RouteConflict<RoutePattern>> conflict = builder.tryAdd(pattern, pattern);
            assertEquals(naiveConflict, conflict.isPresent(), () -> "conflict of " + pattern + " with " + added);
            if (conflict.isEmpty()) {
                added.add(pattern);
            }
        }
        RouteTable<RoutePattern> table = builder.build();
        assertEquals(added.size(), table.size());

        for (String raw : paths) {
            RequestPath path = RequestPath.of(raw);
            if (raw.indexOf('%') < 0) {
                assertFalse(path.malformed());
                assertEquals(pieces(raw), path.segments());
            }
            Optional<RouteMatch<RoutePattern>> match = table.match(path);
            if (path.malformed()) {
                assertTrue(match.isEmpty(), () -> "malformed path matched: " + raw);
                continue;
            }
            roundTrip(path.segments(), raw.hashCode());

            Optional<RoutePattern> expected = naiveMatch(added, path.segments());
            assertEquals(expected, match.map(RouteMatch::pattern), () -> "match of '" + raw + "' in " + added);
            if (match.isPresent()) {
                assertEquals(naiveParameters(expected.get(), path.segments()), new LinkedHashMap<>(match.get().parameters()));
            }
        }
    }

    /** Encodes the segments (every non-unreserved byte escaped, hex case and slash runs from {@code salt}). */
    private static void roundTrip(List<String> segments, int salt) {
        StringBuilder raw = new StringBuilder();
        int bits = salt;
        for (String segment : segments) {
            raw.append((bits & 1) == 0 ? "/" : "//");
            bits = Integer.rotateRight(bits, 1);
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~';
                if (unreserved && (bits & 2) == 0) {
                    raw.append((char) c);
                } else {
                    String digits = (bits & 4) == 0 ? UPPER_HEX : LOWER_HEX;
                    raw.append('%').append(digits.charAt(c >> 4)).append(digits.charAt(c & 0xf));
                }
                bits = Integer.rotateRight(bits, 1);
            }
        }
        if ((bits & 8) != 0) {
            raw.append('/');
        }
        // A segment with a lone surrogate has no UTF-8 form; it cannot come out of the decoder anyway.
        RequestPath again = RequestPath.of(raw.toString());
        assertFalse(again.malformed(), () -> "encoded path is malformed: " + raw);
        assertEquals(segments, again.segments(), () -> "round trip through " + raw);
    }

    private static List<String> pieces(String raw) {
        List<String> pieces = new ArrayList<>();
        for (String piece : raw.split("/", -1)) {
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        return pieces;
    }

    // ---- the reference: segment by segment, no trie ----

    private static boolean conflict(RoutePattern a, RoutePattern b) {
        if (a.segments().size() != b.segments().size()) {
            return false;
        }
        for (int i = 0; i < a.segments().size(); i++) {
            Segment x = a.segments().get(i);
            Segment y = b.segments().get(i);
            if (x instanceof Segment.Placeholder != y instanceof Segment.Placeholder) {
                return false;
            }
            if (x instanceof Segment.Literal lx && !foldEquals(lx.text(), ((Segment.Literal) y).text())) {
                return false;
            }
        }
        return true;
    }

    private static Optional<RoutePattern> naiveMatch(List<RoutePattern> routes, List<String> segments) {
        RoutePattern best = null;
        for (RoutePattern route : routes) {
            if (!fits(route, segments)) {
                continue;
            }
            if (best == null || literalFirst(route, best)) {
                best = route;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean fits(RoutePattern route, List<String> segments) {
        if (route.segments().size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (route.segments().get(i) instanceof Segment.Literal literal && !foldEquals(literal.text(), segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} wins over {@code b}: at the first position where one has a literal and the other not. */
    private static boolean literalFirst(RoutePattern a, RoutePattern b) {
        for (int i = 0; i < a.segments().size(); i++) {
            boolean la = a.segments().get(i) instanceof Segment.Literal;
            boolean lb = b.segments().get(i) instanceof Segment.Literal;
            if (la != lb) {
                return la;
            }
        }
        return false;
    }

    private static Map<String, String> naiveParameters(RoutePattern route, List<String> segments) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            if (route.segments().get(i) instanceof Segment.Placeholder placeholder) {
                parameters.put(placeholder.name(), segments.get(i));
            }
        }
        return parameters;
    }

    /** ASCII letters compared ignoring case, every other character exactly (docs/concepts.md, "Routes"). */
    private static boolean foldEquals(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x == y) {
                continue;
            }
            boolean letters = ((x | 0x20) >= 'a' && (x | 0x20) <= 'z') && (x | 0x20) == (y | 0x20) && y < 0x80 && x < 0x80;
            if (!letters) {
                return false;
            }
        }
        return true;
    }
}
