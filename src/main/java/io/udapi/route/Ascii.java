package io.udapi.route;

/**
 * Case folding of ASCII letters only, for every comparison the protocol defines as case-insensitive:
 * route literals (docs/concepts.md, "Routes") and the {@code Bearer}/{@code Basic} schemes of {@code Authorization}.
 *
 * <p>Java's own folding is Unicode folding: {@code "\u212A".toLowerCase(Locale.ROOT)} is {@code "k"} (the
 * Kelvin sign) and {@code regionMatches(true, ...)} takes {@code "\u017F"} (long s) for {@code s}. A
 * request could then reach a route, or pass a scheme check, that a proxy or validator in front of udapi,
 * comparing ASCII-insensitively as the RFCs do, saw as something else. Stateless and thread-safe.
 */
public final class Ascii {

    private Ascii() {
    }

    /** {@code c} with {@code A}..{@code Z} lowered; every other character unchanged. */
    public static char toLowerCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** {@code s} with {@code A}..{@code Z} lowered; the same instance when it has no such letter. */
    public static String toLowerCase(String s) {
        int i = 0;
        while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < chars.length; i++) {
            chars[i] = toLowerCase(chars[i]);
        }
        return new String(chars);
    }

    /**
     * Like {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase}, but only
     * ASCII letters are folded: {@code false} when either region runs past its string.
     */
    public static boolean regionMatchesIgnoreCase(String s, int offset, String other, int otherOffset, int length) {
        if (offset < 0 || otherOffset < 0 || length < 0
                || offset > s.length() - length || otherOffset > other.length() - length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (toLowerCase(s.charAt(offset + i)) != toLowerCase(other.charAt(otherOffset + i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} starts with {@code prefix}, ASCII letters compared ignoring case. */
    public static boolean startsWithIgnoreCase(String s, String prefix) {
        return regionMatchesIgnoreCase(s, 0, prefix, 0, prefix.length());
    }
}
