package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The auth (header) stage: the scheme of {@code Authorization} is {@code Bearer}, its ASCII letters in any case. */
class BearerSchemeTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bearer s3cret", "bearer s3cret", "BEARER s3cret", "bEaReR s3cret", "Bearer   s3cret  "})
    void bearerSecretWhenSchemeIsBearerInAnyAsciiCaseThenTheSecret(String header) {
        assertEquals("s3cret", AuthStage.bearerSecret(header));
    }

    /**
     * Every character in place of each letter of the scheme, other than that letter in either case, makes the
     * header "not Bearer": no Unicode case mapping (U+212A to k, U+017F to S, dotless i) may fold into it.
     */
    @Test
    void bearerSecretWhenAnyLetterOfTheSchemeIsReplacedThenNull() {
        String scheme = "Bearer ";
        for (int position = 0; position < scheme.length(); position++) {
            char original = scheme.charAt(position);
            for (char c = 0; c < Character.MAX_VALUE; c++) {
                if (c == original || c == Character.toLowerCase(original) || c == Character.toUpperCase(original)) {
                    continue;
                }
                String header = scheme.substring(0, position) + c + scheme.substring(position + 1) + "s3cret";
                final char shown = c;
                final int at = position;
                assertNull(AuthStage.bearerSecret(header),
                        () -> "U+" + Integer.toHexString(shown) + " at position " + at);
            }
        }
    }
}
