package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Route validation (docs/concepts.md, "Routes") against arbitrary strings. Seeds:
 * {@code src/test/resources/io/udapi/route/RouteValidationFuzzTestInputs/validate/}; docs/fuzzing.md.
 *
 * <p>The input is read as UTF-8, or, when its first byte is {@code 0x00}, the rest as UTF-16BE (which
 * can hold lone surrogates). Properties:
 * <ul>
 *   <li>{@link RoutePattern#parse} never throws; the only other outcome is {@link RouteParse.Invalid}
 *       with a rule and a message, and {@code orElseThrow} then throws {@link IllegalArgumentException}
 *       and nothing else;</li>
 *   <li>an accepted route re-validates identically: parsing its template again gives an equal pattern,
 *       the canonical constructor accepts it, and its segments join back to the template;</li>
 *   <li>an accepted route obeys each rule, checked independently: 1..200 code points, no forbidden
 *       character, no empty segment, placeholders whole and uniquely named;</li>
 *   <li>the canonical form (the conflict key with placeholders renamed shortest names by position) is
 *       itself a valid route whose canonical form is the same: canonicalisation is idempotent, and a route
 *       always conflicts with its canonical form.</li>
 * </ul>
 */
class RouteValidationFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void validate(byte[] input) {
        String route = input.length > 0 && input[0] == 0
                ? new String(input, 1, input.length - 1, StandardCharsets.UTF_16BE)
                : new String(input, StandardCharsets.UTF_8);
        RouteParse parsed = RoutePattern.parse(route);
        assertNotNull(parsed);
        if (parsed instanceof RouteParse.Invalid invalid) {
            assertNotNull(invalid.rule());
            assertFalse(invalid.message().isBlank());
            assertThrows(IllegalArgumentException.class, parsed::orElseThrow);
            assertEquals(invalid, RoutePattern.parse(route), "validation is not deterministic");
            return;
        }
        RoutePattern pattern = parsed.orElseThrow();
        assertEquals(route, pattern.template());
        assertEquals(pattern, RoutePattern.parse(pattern.template()).orElseThrow());
        assertEquals(pattern, new RoutePattern(pattern.template(), pattern.segments()));
        StringJoiner joined = new StringJoiner("/");
        pattern.segments().forEach(s -> joined.add(s.written()));
        assertEquals(route, joined.toString());
        obeysEveryRule(route, pattern.segments());

        String canonical = canonical(pattern);
        RoutePattern canonicalPattern = RoutePattern.parse(canonical).orElseThrow();
        assertEquals(canonical, canonical(canonicalPattern), "canonical form is not idempotent");
        assertEquals(pattern.conflictKey(), canonicalPattern.conflictKey());
    }

    /**
     * Literals folded, placeholders renamed by position to the shortest names in a fixed order ({@code A}..
     * {@code Z}, {@code a}..{@code z}, {@code _}, then two characters): one spelling per conflict class, never
     * longer than the route, so always within the length rule.
     */
    private static String canonical(RoutePattern pattern) {
        StringJoiner out = new StringJoiner("/");
        int n = 0;
        for (Segment segment : pattern.segments()) {
            out.add(segment instanceof Segment.Literal literal ? literal.matchKey() : "{" + name(n++) + "}");
        }
        return out.toString();
    }

    private static final String FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    private static final String NEXT = FIRST + "0123456789";

    private static String name(int n) {
        if (n < FIRST.length()) {
            return String.valueOf(FIRST.charAt(n));
        }
        int m = n - FIRST.length(); // at most 100 placeholders fit in 200 characters: two are enough
        return "" + FIRST.charAt(m / NEXT.length()) + NEXT.charAt(m % NEXT.length());
    }

    private static void obeysEveryRule(String route, List<Segment> segments) {
        int codePoints = route.codePointCount(0, route.length());
        assertTrue(codePoints >= 1 && codePoints <= RoutePattern.MAX_LENGTH, () -> codePoints + " code points");
        assertFalse(route.isBlank());
        route.codePoints().forEach(cp -> assertFalse("?#*:<>\\".indexOf(cp) >= 0 || Character.isWhitespace(cp)
                || Character.isSpaceChar(cp) || Character.isISOControl(cp), () -> "forbidden U+" + Integer.toHexString(cp)));
        Set<String> names = new HashSet<>();
        for (Segment segment : segments) {
            String written = segment.written();
            assertFalse(written.isEmpty());
            if (segment instanceof Segment.Placeholder placeholder) {
                assertTrue(placeholder.name().matches("[A-Za-z_][A-Za-z0-9_]*"), placeholder::name);
                assertTrue(names.add(placeholder.name()), () -> "duplicate placeholder " + placeholder.name());
            } else {
                assertFalse(written.contains("{") || written.contains("}") || written.contains("/"), written);
            }
        }
    }
}
