package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import de.mkammerer.argon2.Argon2Version;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHasherTest {

    /** One hasher for the whole class: Argon2 at the OWASP minimum costs about 16 ms a run. */
    private static final SecretHasher HASHER = new SecretHasher();

    private static final String SECRET = "udapi-known-answer-secret-0123456789_ABCxyz";

    // ---- known answers -------------------------------------------------------------------------------------

    /**
     * Fixed salt, OWASP parameters → exact PHC string. The expected value was computed once, outside this
     * code, with the Argon2 reference implementation's CLI (Debian package {@code argon2}, version
     * 0~20171227, built from P-H-C/phc-winner-argon2):
     * {@code echo -n 'udapi-known-answer-secret-0123456789_ABCxyz' | argon2 udapi-kat-salt16 -id -t 2 -k 19456 -p 1 -l 32}
     * which printed hash {@code eb273ace...d5d2fdbd} and the encoded form below.
     */
    @Test
    void hashWhenSaltIsFixedThenReferenceCliAnswer() {
        byte[] salt = "udapi-kat-salt16".getBytes(StandardCharsets.US_ASCII);

        String phc = HASHER.hash(SECRET, salt);

        assertEquals("$argon2id$v=19$m=19456,t=2,p=1$dWRhcGkta2F0LXNhbHQxNg"
                + "$6yc6zjnt1HPI/ZNHQTTqIy4eTNUBstzfV1xe2NXS/b0", phc);
        assertTrue(HASHER.matches(SECRET, phc));
    }

    /**
     * Published vectors of the reference implementation's own test suite (P-H-C/phc-winner-argon2,
     * {@code src/test.c}, Argon2id, version 0x13): our PHC decoding plus argon2-jvm must accept them, including
     * p = 2 and an 8-byte salt. The reference CLI reproduces both strings.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"})
    void matchesWhenReferenceTestVectorThenTrue(String phc) {
        assertTrue(HASHER.matches("password", phc));
        assertFalse(HASHER.matches("passwore", phc));
    }

    /**
     * A 64-byte hash and a UTF-8 password, from the reference CLI:
     * {@code echo -n password | argon2 somesalt -id -t 2 -k 1024 -p 1 -l 64 -e} and
     * {@code echo -n 'päss wörd' | argon2 saltsaltsalt -id -t 1 -k 64 -p 1 -l 32 -e} (input bytes UTF-8).
     */
    @Test
    void matchesWhenReferenceCliHashHasOtherLengthOrNonAsciiThenTrue() {
        assertTrue(HASHER.matches("password", "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHQ$Px6NL6NMSAriYTrR9Kj/"
                + "tUxyTh6+j8KhOUWQvOGSHFl+YVjqE4wt5Q1LXJUjgQoCatiVLqpmH2HHWPxvn6u3Ew"));
        assertTrue(HASHER.matches("p\u00e4ss w\u00f6rd",
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$6Fis1NcTtadw/8QNLAt2YV0fsrwg1viyjPptEhSSCCc"));
    }

    /**
     * RFC 9106 section 5.3 (Argon2id test vector: password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03,
     * associated data 12 x 0x04, m = 32, t = 3, p = 4, tag 32 bytes): the native library argon2-jvm loads on
     * this platform computes standard Argon2id.
     */
    @Test
    void argon2LibraryWhenRfc9106VectorThenPublishedTag() {
        Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Types.ARGON2id);

        byte[] tag = argon2.rawHashAdvanced(3, 32, 4, filled(32, 0x01), filled(16, 0x02), filled(8, 0x03),
                filled(12, 0x04), 32, Argon2Version.V13);

        assertArrayEquals(HexFormat.of().parseHex(
                "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    // ---- round trip ----------------------------------------------------------------------------------------

    @Test
    void hashWhenCalledThenPhcWithOwaspParamsAndSixteenByteSalt() {
        String phc = HASHER.hash(SECRET);

        assertTrue(phc.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"),
                phc);
        assertFalse(phc.contains(SECRET));
    }

    @Test
    void hashWhenSameSecretTwiceThenDifferentSalts() {
        assertNotEquals(HASHER.hash(SECRET), HASHER.hash(SECRET));
    }

    @Test
    void matchesWhenSameSecretThenTrue() {
        assertTrue(HASHER.matches(SECRET, HASHER.hash(SECRET)));
    }

    @Test
    void matchesWhenWrongSecretThenFalse() {
        String phc = HASHER.hash(SECRET);

        assertFalse(HASHER.matches(SECRET + "x", phc));
        assertFalse(HASHER.matches(SECRET.substring(1), phc));
        assertFalse(HASHER.matches(SECRET.toUpperCase(), phc));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void matchesWhenSecretIsNullOrEmptyThenFalse(String secret) {
        assertFalse(HASHER.matches(secret, HASHER.hash(SECRET)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void hashWhenSecretIsNullOrEmptyThenRejected(String secret) {
        assertThrows(IllegalArgumentException.class, () -> HASHER.hash(secret));
    }

    @Test
    void matchesWhenHashWasMadeWithOtherParamsThenUsesThem() {
        SecretHasher cheap = new SecretHasher(new Argon2Params(1024, 1, 1));

        String phc = cheap.hash(SECRET);

        assertTrue(phc.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), phc);
        assertTrue(HASHER.matches(SECRET, phc));
        assertTrue(HASHER.needsRehash(phc));
    }

    // ---- malformed and unsupported -------------------------------------------------------------------------

    /** Each is a broken variant of the valid reference vector (password "password"). */
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "garbage",
            "$argon2id$",
            // other variants and versions
            "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=16$m=256,t=2,p=2$c29tZXNhbHQ$+Kq7UxXGPN3Ns7SgIVUJKOUlaZ2o/L0cKwsczTXMh6c",
            "$argon2id$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$ARGON2ID$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // parameters: order, extra key, missing, leading zero, sign, empty, zero, non-digit, overflow
            "$argon2id$v=19$t=2,m=65536,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1,keyid=abc$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=065536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=+65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=x$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // outside the supported bounds: m over 1 GiB, m below 8 KiB per lane, t over 64
            "$argon2id$v=19$m=2097152,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=8,t=2,p=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=65,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // salt and hash: padding, bad alphabet, too short, missing, extra segment, whitespace
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc=",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNh_HQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$",
            "$argon2id$v=19$m=65536,t=2,p=1$$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc ",
            " $argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // 45 Base64 characters (45 mod 4 = 1) cannot encode whole bytes
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPcAA"})
    void matchesWhenHashIsMalformedOrUnsupportedThenFalse(String phc) {
        assertFalse(HASHER.matches("password", phc));
        assertTrue(HASHER.needsRehash(phc));
    }

    @Test
    void matchesWhenHashIsTooLongThenFalseWithoutParsing() {
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$" + "A".repeat(300);

        assertFalse(HASHER.matches("password", phc));
    }

    @Test
    void matchesWhenHashBitIsFlippedThenFalse() {
        String phc = HASHER.hash(SECRET);
        char last = phc.charAt(phc.length() - 2);
        String flipped = phc.substring(0, phc.length() - 2) + (last == 'A' ? 'B' : 'A') + phc.charAt(phc.length() - 1);

        assertFalse(HASHER.matches(SECRET, flipped));
    }

    // ---- needsRehash ---------------------------------------------------------------------------------------

    @Test
    void needsRehashWhenCurrentParamsThenFalse() {
        assertFalse(HASHER.needsRehash(HASHER.hash(SECRET)));
    }

    @Test
    void needsRehashWhenLessMemoryOrFewerIterationsThenTrue() {
        String fewerIterations = "$argon2id$v=19$m=19456,t=1,p=1$dWRhcGkta2F0LXNhbHQxNg"
                + "$6yc6zjnt1HPI/ZNHQTTqIy4eTNUBstzfV1xe2NXS/b0";
        String lessMemory = "$argon2id$v=19$m=19455,t=2,p=1$dWRhcGkta2F0LXNhbHQxNg"
                + "$6yc6zjnt1HPI/ZNHQTTqIy4eTNUBstzfV1xe2NXS/b0";

        assertTrue(HASHER.needsRehash(fewerIterations));
        assertTrue(HASHER.needsRehash(lessMemory));
    }

    @Test
    void needsRehashWhenStrongerParamsThenFalse() {
        // the reference vector has m = 64 MiB, t = 2 but an 8-byte salt: only the salt asks for a rehash
        String moreMemoryShortSalt =
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        String moreMemoryAndPasses = "$argon2id$v=19$m=65536,t=3,p=4$dWRhcGkta2F0LXNhbHQxNg"
                + "$6yc6zjnt1HPI/ZNHQTTqIy4eTNUBstzfV1xe2NXS/b0";

        assertTrue(HASHER.needsRehash(moreMemoryShortSalt));
        assertFalse(HASHER.needsRehash(moreMemoryAndPasses));
    }

    @Test
    void needsRehashWhenCurrentParamsAreRaisedThenTrueForOldHashes() {
        String old = HASHER.hash(SECRET);
        SecretHasher stronger = new SecretHasher(new Argon2Params(19_456, 3, 1));

        assertTrue(stronger.needsRehash(old));
        assertTrue(stronger.matches(SECRET, old));
    }

    // ---- parameters ----------------------------------------------------------------------------------------

    @Test
    void owaspMinimumWhenReadThenNineteenMebibytesTwoPassesOneLane() {
        assertEquals(new Argon2Params(19 * 1024, 2, 1), Argon2Params.OWASP_MINIMUM);
        assertEquals(Argon2Params.OWASP_MINIMUM, HASHER.params());
    }

    @Test
    void argon2ParamsWhenOutOfBoundsThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(15, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(1024, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(1024, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Params(Argon2Params.MAX_MEMORY_KIB + 1, 1, 1));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
