package io.udapi.route;

import java.util.Objects;

/**
 * One segment of a {@link RoutePattern}: either fixed text or a named placeholder that captures the whole
 * request segment. Instances are only meaningful inside a pattern; {@link RoutePattern} enforces the
 * syntax rules, these records only refuse values that no pattern could ever contain.
 */
public sealed interface Segment permits Segment.Literal, Segment.Placeholder {

    /** The segment as written in the route template: {@code tickets} or {@code {id}}. */
    String written();

    /**
     * Fixed text, compared to the request segment ignoring the case of ASCII letters only (docs/concepts.md, "Routes": the
     * Kelvin sign U+212A does not match {@code k}; non-ASCII letters match only exactly).
     *
     * @param text non-empty; never contains {@code /}, {@code {} or {@code }}
     */
    record Literal(String text) implements Segment {
        public Literal {
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a literal segment must not be empty");
            }
        }

        /**
         * The form used for lookups and conflict keys: ASCII letters lowered, nothing else changed
         * ({@link Ascii}), so neither the server's default locale (Turkish dotless i) nor Unicode case
         * mappings (U+212A to {@code k}) change which routes match or conflict.
         */
        public String matchKey() {
            return Ascii.toLowerCase(text);
        }

        @Override
        public String written() {
            return text;
        }
    }

    /**
     * A placeholder filling a whole segment; the request segment becomes route parameter {@code name}.
     *
     * @param name matches {@code [A-Za-z_][A-Za-z0-9_]*}
     */
    record Placeholder(String name) implements Segment {
        public Placeholder {
            Objects.requireNonNull(name, "name");
            if (!RouteRule.isPlaceholderName(name)) {
                throw new IllegalArgumentException(
                        RouteRule.PLACEHOLDER_NAME.message("{" + name + "}", "placeholder '" + name + "'"));
            }
        }

        @Override
        public String written() {
            return "{" + name + "}";
        }
    }
}
