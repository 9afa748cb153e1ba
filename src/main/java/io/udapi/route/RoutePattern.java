package io.udapi.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The validated route of a definition (docs/concepts.md, "Routes"), such as {@code tickets/{id}/status}.
 *
 * <p>Obtain one with {@link #parse(String)}, which answers a {@link RouteParse}: either the pattern or an
 * {@link RouteParse.Invalid} naming the value and the first {@link RouteRule} it breaks. No exception is
 * thrown for bad input. {@link #of(String)} is the throwing shortcut for trusted input (tests, constants).
 * The canonical constructor re-checks everything, so no {@code RoutePattern} can hold an invalid route.
 *
 * <p>Rules, in the order they are checked:
 * <ul>
 *   <li>required and not blank;</li>
 *   <li>at most {@value #MAX_LENGTH} characters (Unicode code points);</li>
 *   <li>none of {@code ? # * : < > \}, no whitespace (including no-break spaces) and no control
 *       characters; control characters go beyond the list of docs/concepts.md, "Routes", because they can never be typed in a
 *       URL and only make log lines ambiguous;</li>
 *   <li>no leading or trailing {@code /} and no empty segments;</li>
 *   <li>{@code {} and {@code }} only as a placeholder {@code {name}} filling a whole segment;</li>
 *   <li>placeholder names match {@code [A-Za-z_][A-Za-z0-9_]*} and are unique within the route
 *       (case-sensitively, as they become distinct parameter keys).</li>
 * </ul>
 * Literals are kept as written, undecoded: they are compared with percent-decoded request segments, so a
 * literal {@code %41} matches a request segment {@code %2541}, not {@code A}.
 *
 * @param template the route exactly as written
 * @param segments the template split at {@code /}; never empty
 */
public record RoutePattern(String template, List<Segment> segments) {

    /** Longest route, in characters (code points). */
    public static final int MAX_LENGTH = 200;

    /** What the conflict key shows for a placeholder; literals cannot contain braces, so it is unambiguous. */
    private static final String ANY = "{}";

    public RoutePattern {
        segments = List.copyOf(segments);
        // The constructor is public (records allow nothing else), so re-derive instead of trusting callers.
        Syntax syntax = check(template);
        if (syntax.rejection() != null) {
            throw new IllegalArgumentException(syntax.rejection().message());
        }
        if (!syntax.segments().equals(segments)) {
            throw new IllegalArgumentException("segments " + segments + " do not match route '" + template + "'");
        }
    }

    /** Validates {@code raw}; never throws. */
    public static RouteParse parse(String raw) {
        Syntax syntax = check(raw);
        return syntax.rejection() != null
                ? syntax.rejection()
                : new RouteParse.Valid(new RoutePattern(raw, syntax.segments()));
    }

    /** Like {@link #parse} but throws {@link IllegalArgumentException} with the rejection message. */
    public static RoutePattern of(String raw) {
        return parse(raw).orElseThrow();
    }

    /**
     * Equal for two routes exactly when they conflict (docs/concepts.md, "Routes"): same segment count, the same literals
     * ignoring the case of ASCII letters ({@link Ascii}) at the same positions, placeholders at the same positions. {@code Ticket/{id}} gives
     * {@code ticket/{}}.
     */
    public String conflictKey() {
        StringJoiner key = new StringJoiner("/");
        for (Segment segment : segments) {
            key.add(segment instanceof Segment.Literal literal ? literal.matchKey() : ANY);
        }
        return key.toString();
    }

    /**
     * The first literal segment that is {@code .} or {@code ..}, if any. Request paths are normalised before
     * they are matched (dot segments resolved, docs/concepts.md "Routes"), so a route holding one can never be
     * reached; the management API refuses it, while a stored one still loads (and matches nothing).
     */
    public java.util.Optional<String> dotSegment() {
        for (Segment segment : segments) {
            if (segment instanceof Segment.Literal literal && (literal.text().equals(".") || literal.text().equals(".."))) {
                return java.util.Optional.of(literal.text());
            }
        }
        return java.util.Optional.empty();
    }

    /** Placeholder names in route order. */
    public List<String> placeholderNames() {
        List<String> names = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment instanceof Segment.Placeholder placeholder) {
                names.add(placeholder.name());
            }
        }
        return List.copyOf(names);
    }

    @Override
    public String toString() {
        return template;
    }

    /** Either the segments of a valid route or the first rule it breaks. */
    private record Syntax(List<Segment> segments, RouteParse.Invalid rejection) {
        static Syntax reject(RouteRule rule, String raw, String finding) {
            return new Syntax(null, new RouteParse.Invalid(rule, rule.message(raw, finding)));
        }
    }

    private static Syntax check(String raw) {
        if (raw == null) {
            return Syntax.reject(RouteRule.REQUIRED, null, "none given");
        }
        if (raw.isBlank()) {
            return Syntax.reject(RouteRule.BLANK, raw, "it is blank");
        }
        int length = raw.codePointCount(0, raw.length());
        if (length > MAX_LENGTH) {
            return Syntax.reject(RouteRule.TOO_LONG, raw, "it has " + length + " characters");
        }
        int position = 1;
        for (int i = 0; i < raw.length(); position++) {
            int cp = raw.codePointAt(i);
            if (isForbidden(cp)) {
                return Syntax.reject(RouteRule.FORBIDDEN_CHARACTER, raw,
                        "it contains " + RouteRule.describe(cp) + " at position " + position);
            }
            i += Character.charCount(cp);
        }
        if (raw.startsWith("/") || raw.endsWith("/")) {
            return Syntax.reject(RouteRule.EDGE_SLASH, raw, "it " + (raw.startsWith("/") ? "starts" : "ends") + " with '/'");
        }
        String[] parts = raw.split("/", -1);
        List<Segment> segments = new ArrayList<>(parts.length);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                return Syntax.reject(RouteRule.EMPTY_SEGMENT, raw, "segment " + (i + 1) + " is empty");
            }
            boolean wrapped = part.length() >= 2 && part.startsWith("{") && part.endsWith("}");
            if (!wrapped) {
                if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                    return Syntax.reject(RouteRule.PARTIAL_PLACEHOLDER, raw,
                            "segment '" + part + "' has a brace but is not a whole placeholder");
                }
                segments.add(new Segment.Literal(part));
                continue;
            }
            String name = part.substring(1, part.length() - 1);
            if (!RouteRule.isPlaceholderName(name)) {
                return Syntax.reject(RouteRule.PLACEHOLDER_NAME, raw, "placeholder '" + part + "' has a bad name");
            }
            if (!names.add(name)) {
                return Syntax.reject(RouteRule.DUPLICATE_PLACEHOLDER, raw,
                        "placeholder '" + part + "' appears more than once");
            }
            segments.add(new Segment.Placeholder(name));
        }
        return new Syntax(List.copyOf(segments), null);
    }

    private static boolean isForbidden(int cp) {
        return switch (cp) {
            case '?', '#', '*', ':', '<', '>', '\\' -> true;
            default -> Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp);
        };
    }
}
