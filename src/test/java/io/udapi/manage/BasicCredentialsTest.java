package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code Basic} scheme of the admin API: its ASCII letters in any case, nothing Unicode folds into it. */
class BasicCredentialsTest {

    private static final String PAIR = Base64.getEncoder().encodeToString("admin:pw".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest
    @ValueSource(strings = {"Basic ", "basic ", "BASIC ", "bAsIc "})
    void parseWhenSchemeIsBasicInAnyAsciiCaseThenTheCredentials(String scheme) {
        AdminAuthenticator.Credentials credentials = AdminAuthenticator.Credentials.parse(scheme + PAIR);
        assertEquals("admin", credentials.name());
        assertEquals("pw", credentials.password());
    }

    /** {@code "Ba\u017Fic".regionMatches(true, ...)} is true in Java: U+017F (long s) upper-cases to S. */
    @Test
    void parseWhenSchemeHasLongSThenNull() {
        assertNull(AdminAuthenticator.Credentials.parse("Ba\u017Fic " + PAIR));
        assertNull(AdminAuthenticator.Credentials.parse("BA\u017FIC " + PAIR));
    }

    @Test
    void parseWhenAnyLetterOfTheSchemeIsReplacedThenNull() {
        String scheme = "Basic ";
        for (int position = 0; position < scheme.length(); position++) {
            char original = scheme.charAt(position);
            for (char c = 0; c < Character.MAX_VALUE; c++) {
                if (c == original || c == Character.toLowerCase(original) || c == Character.toUpperCase(original)) {
                    continue;
                }
                String header = scheme.substring(0, position) + c + scheme.substring(position + 1) + PAIR;
                final char shown = c;
                assertNull(AdminAuthenticator.Credentials.parse(header), () -> "U+" + Integer.toHexString(shown));
            }
        }
    }
}
