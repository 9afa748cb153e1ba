package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretGeneratorTest {

    private final SecretGenerator generator = new SecretGenerator();

    @Test
    void generateWhenCalledThenFortyThreeBase64UrlCharacters() {
        String secret = generator.generate();

        assertEquals(43, secret.length());
        assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), secret);
    }

    @Test
    void generateWhenCalledThenPassesSecretRules() {
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.empty(), SecretRules.check(generator.generate()));
        }
    }

    @Test
    void generateWhenCalledThousandTimesThenAllDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(generator.generate()));
        }
    }

    @Test
    void generateWhenManyThenEveryAlphabetCharacterAppears() {
        // 1000 x 43 characters over 64 symbols: each symbol is expected ~670 times, so a missing one means the
        // encoding or the randomness is broken (probability of a false alarm below 1e-280).
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            for (char c : generator.generate().toCharArray()) {
                used.add(c);
            }
        }
        assertEquals(64, used.size());
    }
}
