package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRulesTest {

    private static final String BASE = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"; // 32 allowed characters

    private static String ofLength(int length) {
        return "k".repeat(length);
    }

    @Test
    void checkWhenThirtyOneCharactersThenRejectedWithLengthAndRule() {
        Optional<String> rejection = SecretRules.check(ofLength(31));

        assertTrue(rejection.isPresent());
        assertTrue(rejection.get().contains("31"), rejection.get());
        assertTrue(rejection.get().contains("32..512"), rejection.get());
    }

    @Test
    void checkWhenThirtyTwoCharactersThenAccepted() {
        assertEquals(Optional.empty(), SecretRules.check(ofLength(32)));
        assertEquals(Optional.empty(), SecretRules.check(BASE));
    }

    @Test
    void checkWhenFiveHundredTwelveCharactersThenAccepted() {
        assertEquals(Optional.empty(), SecretRules.check(ofLength(512)));
    }

    @Test
    void checkWhenFiveHundredThirteenCharactersThenRejected() {
        Optional<String> rejection = SecretRules.check(ofLength(513));

        assertTrue(rejection.isPresent());
        assertTrue(rejection.get().contains("513"), rejection.get());
    }

    @Test
    void checkWhenNullOrEmptyThenRejected() {
        assertTrue(SecretRules.check(null).isPresent());
        assertTrue(SecretRules.check("").isPresent());
    }

    @ParameterizedTest
    @ValueSource(chars = {'_', '-', '.', '=', '+', '/', 'A', 'Z', 'a', 'z', '0', '9'})
    void checkWhenAllowedCharacterThenAccepted(char allowed) {
        assertEquals(Optional.empty(), SecretRules.check(BASE.substring(1) + allowed));
        assertEquals(Optional.empty(), SecretRules.check(allowed + BASE.substring(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "!", "\u00e9", "\u00df", "\u20ac", "\ud83d\ude00", "\t", "\n", "\u0000", "~", "$",
            "%", ":", "@", "\\", "\"", "'", ",", ";", "*", "#", "?", "&", "\uff21" /* fullwidth A */})
    void checkWhenForbiddenCharacterThenRejectedWithPosition(String forbidden) {
        String secret = BASE.substring(0, 10) + forbidden + BASE.substring(10);

        Optional<String> rejection = SecretRules.check(secret);

        assertTrue(rejection.isPresent(), "accepted " + forbidden);
        assertTrue(rejection.get().contains("position 11"), rejection.get());
        assertTrue(rejection.get().contains(SecretRules.ALPHABET), rejection.get());
    }

    @Test
    void checkWhenRejectedThenMessageContainsNoPartOfTheSecret() {
        String longInvalid = "Zq7Wx3Vb9Nm2Lk5Jh8Gf4Ds6Ap1Oi0Uy!Tr";
        String shortSecret = "Zq7Wx3Vb9Nm2";

        for (String secret : new String[] {longInvalid, shortSecret, longInvalid.repeat(20)}) {
            String message = SecretRules.check(secret).orElseThrow();
            assertFalse(message.contains(secret), message);
            assertFalse(message.contains(secret.substring(0, SecretRules.HINT_LENGTH)), message);
            assertFalse(message.contains("!"), message);
        }
    }

    @Test
    void hintWhenSecretThenFirstFourCharacters() {
        assertEquals("AbCd", SecretRules.hint(BASE));
        assertEquals("ab", SecretRules.hint("ab"));
    }
}
