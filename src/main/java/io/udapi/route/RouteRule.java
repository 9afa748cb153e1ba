package io.udapi.route;

/**
 * The syntax rules of a route (docs/concepts.md, "Routes"), in the order {@link RoutePattern#parse} checks them, and the one
 * place their rejection messages are worded. A message names the value, what is wrong with it and the rule.
 */
public enum RouteRule {
    REQUIRED("a route is required"),
    BLANK("a route must not be blank"),
    TOO_LONG("a route has at most " + RoutePattern.MAX_LENGTH + " characters"),
    FORBIDDEN_CHARACTER("a route contains none of ? # * : < > \\, whitespace or control characters"),
    EDGE_SLASH("a route neither starts nor ends with '/'"),
    EMPTY_SEGMENT("a route has no empty segments ('//')"),
    PARTIAL_PLACEHOLDER("a placeholder fills a whole segment, as in 'tickets/{id}/status'"),
    PLACEHOLDER_NAME("a placeholder name matches [A-Za-z_][A-Za-z0-9_]*"),
    DUPLICATE_PLACEHOLDER("placeholder names are unique within a route");

    /** Longest value quoted in a message: enough to recognise it, short enough for a log line. */
    private static final int SHOWN_LENGTH = 60;

    private final String rule;

    RouteRule(String rule) {
        this.rule = rule;
    }

    /** The rule in words, without the value. */
    public String rule() {
        return rule;
    }

    /**
     * @param route   the rejected route as given (may be null)
     * @param finding what is wrong, e.g. {@code "segment 'do{x}'"}
     */
    String message(String route, String finding) {
        String subject = route == null ? "Invalid route" : "Invalid route " + show(route);
        return subject + ": " + finding + ". Rule: " + rule + ".";
    }

    /** Describes one character so that invisible ones (tab, no-break space) are still readable. */
    static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        return Character.isISOControl(codePoint) || Character.isSpaceChar(codePoint)
                ? hex
                : "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")";
    }

    static boolean isPlaceholderName(String name) {
        if (name.isEmpty() || !isNameStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isNameStart(c) && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    /**
     * Quotes the value, shortened, with control characters escaped: messages reach logs, and a raw
     * newline from a request body must not be able to forge a log line.
     */
    private static String show(String value) {
        StringBuilder out = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (shown == SHOWN_LENGTH) {
                out.append("…");
                break;
            }
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            shown++;
            i += Character.charCount(cp);
        }
        return out.append('\'').toString();
    }
}
