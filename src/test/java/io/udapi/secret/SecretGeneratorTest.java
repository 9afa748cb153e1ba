package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** docs/tokens.md, "Secrets that leak scanners can find": generated secrets are {@code udapi_} + 32 random base62 characters + a base62 CRC-32. */
class SecretGeneratorTest {

    private final SecretGenerator generator = new SecretGenerator();

    @Test
    void generateWhenCalledThenTheUdapiFormThatScannersMatch() {
        String secret = generator.generate();

        assertEquals(44, secret.length());
        assertTrue(secret.matches(SecretGenerator.PATTERN), secret);
        assertEquals(SecretGenerator.Form.GENERATED, SecretGenerator.form(secret));
    }

    @Test
    void theChecksumIsTheCrc32OfTheFirst38CharactersInBase62MostSignificantFirst() {
        String secret = generator.generate();
        CRC32 crc = new CRC32();
        crc.update(secret.substring(0, 38).getBytes(StandardCharsets.US_ASCII));
        // an independent base62 decode of the last 6 characters
        long decoded = 0;
        for (char c : secret.substring(38).toCharArray()) {
            int digit = c <= '9' ? c - '0' : c <= 'Z' ? c - 'A' + 10 : c - 'a' + 36;
            decoded = decoded * 62 + digit;
        }
        assertEquals(crc.getValue(), decoded);
        // a known value: CRC-32 of "udapi_" followed by 32 zeros, computed by java.util.zip.CRC32 above
        CRC32 zeros = new CRC32();
        zeros.update(("udapi_" + "0".repeat(32)).getBytes(StandardCharsets.US_ASCII));
        assertEquals(SecretGenerator.checksum("udapi_" + "0".repeat(32)), base62(zeros.getValue()));
    }

    private static String base62(long v) {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.insert(0, digits.charAt((int) (v % 62)));
            v /= 62;
        }
        return sb.toString();
    }

    @Test
    void formTellsAGeneratedSecretFromATypoAndFromAChosenSecret() {
        String secret = generator.generate();
        char last = secret.charAt(43);
        String typo = secret.substring(0, 43) + (last == 'a' ? 'b' : 'a');
        String swapped = secret.substring(0, 10) + secret.charAt(11) + secret.charAt(10) + secret.substring(12);

        assertEquals(SecretGenerator.Form.BAD_CHECKSUM, SecretGenerator.form(typo));
        if (secret.charAt(10) != secret.charAt(11)) {
            assertEquals(SecretGenerator.Form.BAD_CHECKSUM, SecretGenerator.form(swapped));
        }
        assertEquals(SecretGenerator.Form.OTHER, SecretGenerator.form("a-secret-a-user-chose-0123456789abcdef"));
        assertEquals(SecretGenerator.Form.OTHER, SecretGenerator.form(secret.substring(0, 43)));
        assertEquals(SecretGenerator.Form.OTHER, SecretGenerator.form(secret.substring(0, 43) + "-"));
        assertEquals(SecretGenerator.Form.OTHER, SecretGenerator.form(null));
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
    void generateWhenManyThenEveryBase62CharacterAppearsInTheRandomPart() {
        // 1000 x 32 characters over 62 symbols: each is expected ~516 times, so a missing one means the
        // alphabet or the randomness is broken (probability of a false alarm below 1e-200).
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            for (char c : generator.generate().substring(6, 38).toCharArray()) {
                used.add(c);
            }
        }
        assertEquals(62, used.size());
    }

    @Test
    void theReadmeGivesScannersThePatternThatEveryGeneratedSecretMatches() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        assertTrue(readme.contains("`" + SecretGenerator.PATTERN + "`"), "README.md documents " + SecretGenerator.PATTERN);
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(SecretGenerator.PATTERN);
        SecretGenerator generator = new SecretGenerator();
        for (int i = 0; i < 1000; i++) {
            String secret = generator.generate();
            assertTrue(pattern.matcher(secret).matches(), secret);
        }
    }
}
