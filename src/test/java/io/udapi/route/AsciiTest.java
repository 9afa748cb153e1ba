package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void toLowerCaseWhenAsciiLettersThenLoweredAndNothingElse() {
        assertEquals("key/caf\u00c9/\u212a/\u0130", Ascii.toLowerCase("KEY/caf\u00c9/\u212a/\u0130"));
        String lower = "already lower \u00e9";
        assertSame(lower, Ascii.toLowerCase(lower));
    }

    @Test
    void toLowerCaseWhenAnyCharThenOnlyAToZChange() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            char expected = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            if (expected != Ascii.toLowerCase(c)) {
                assertEquals(expected, Ascii.toLowerCase(c), "U+" + Integer.toHexString(c));
            }
        }
    }

    @Test
    void regionMatchesIgnoreCaseWhenAsciiCaseDiffersThenTrue() {
        assertTrue(Ascii.startsWithIgnoreCase("bAsIc abc", "Basic "));
        assertTrue(Ascii.regionMatchesIgnoreCase("xxBEARER", 2, "bearer", 0, 6));
    }

    /** Java's regionMatches(true, ...) says true for each of these; ASCII folding must not. */
    @Test
    void regionMatchesIgnoreCaseWhenOnlyUnicodeFoldingWouldMatchThenFalse() {
        assertTrue("Ba\u017Fic ".regionMatches(true, 0, "Basic ", 0, 6)); // the JDK behaviour this guards against
        assertFalse(Ascii.startsWithIgnoreCase("Ba\u017Fic x", "Basic "));
        assertFalse(Ascii.startsWithIgnoreCase("\u212Aey", "key"));
        assertFalse(Ascii.startsWithIgnoreCase("\u0131d", "id"));
        assertFalse(Ascii.startsWithIgnoreCase("\u0130d", "id"));
    }

    @Test
    void regionMatchesIgnoreCaseWhenRegionRunsPastTheEndThenFalse() {
        assertFalse(Ascii.startsWithIgnoreCase("Bas", "Basic "));
        assertFalse(Ascii.regionMatchesIgnoreCase("abc", 2, "bc", 0, 2));
        assertFalse(Ascii.regionMatchesIgnoreCase("abc", -1, "abc", 0, 1));
        assertFalse(Ascii.regionMatchesIgnoreCase("abc", 0, "abc", 0, -1));
        assertTrue(Ascii.regionMatchesIgnoreCase("abc", 3, "", 0, 0));
    }

    @Test
    void toLowerCaseWhenDefaultLocaleIsTurkishThenUnchanged() {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertEquals("title", Ascii.toLowerCase("TITLE"));
        } finally {
            Locale.setDefault(previous);
        }
    }
}
