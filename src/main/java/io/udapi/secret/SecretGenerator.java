package io.udapi.secret;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Generates token secrets when a create or rotation gives none, in the form secret scanners can find
 * (docs/tokens.md, "Secrets that leak scanners can find"): {@code udapi_} + {@value #RANDOM_CHARS} random base62 characters ({@code 0-9 A-Z a-z}, about
 * 190.5 bits from {@link SecureRandom}, the 190 bits docs/concepts.md, "Tokens", asks for) + {@value #CHECKSUM_CHARS} base62
 * characters of the CRC-32 of everything before them. {@value #LENGTH} characters in all, every one allowed
 * by {@link SecretRules}. The pattern for scanners: {@value #PATTERN}.
 *
 * <p>The checksum lets a scanner (and {@code POST /admin/v1/tokens/leaked}) tell a real udapi secret from a
 * look-alike without asking anyone, and udapi refuse a mistyped one without an Argon2 run. It is no
 * secret and no protection: anyone can compute it.
 *
 * <p>Thread-safe ({@link SecureRandom} is). Build it at run time, not into a native image heap.
 */
public final class SecretGenerator {

    public static final String PREFIX = "udapi_";
    public static final int RANDOM_CHARS = 32;
    public static final int CHECKSUM_CHARS = 6;
    /** Length of a generated secret: 6 + 32 + 6. */
    public static final int LENGTH = 44;
    /** What secret scanners look for. */
    public static final String PATTERN = "udapi_[0-9A-Za-z]{38}";

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    SecretGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new random secret of {@value #LENGTH} characters in the {@code udapi_} form. */
    public String generate() {
        StringBuilder secret = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            secret.append(BASE62.charAt(random.nextInt(BASE62.length()))); // uniform: nextInt rejects the bias
        }
        return secret.append(checksum(secret)).toString();
    }

    /** What a string in the {@code udapi_} form is, by its shape and checksum alone (no store, no Argon2). */
    public enum Form {
        /** Not {@value #PATTERN}: a secret a user chose, or not a udapi secret at all. */
        OTHER,
        /** The form, with a checksum that does not match: a typo or a look-alike, never a generated secret. */
        BAD_CHECKSUM,
        /** The form and a matching checksum. */
        GENERATED
    }

    public static Form form(String s) {
        if (s == null || s.length() != LENGTH || !s.startsWith(PREFIX)) {
            return Form.OTHER;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!isBase62(s.charAt(i))) {
                return Form.OTHER;
            }
        }
        String expected = checksum(s.subSequence(0, LENGTH - CHECKSUM_CHARS));
        return s.regionMatches(LENGTH - CHECKSUM_CHARS, expected, 0, CHECKSUM_CHARS) ? Form.GENERATED : Form.BAD_CHECKSUM;
    }

    private static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** The CRC-32 (IEEE) of {@code head} as 6 base62 digits, most significant first, zero-padded. */
    static String checksum(CharSequence head) {
        byte[] bytes = new byte[head.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) head.charAt(i); // the head is ASCII: one byte a character
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length); // one call: the intrinsic works on the whole array
        long value = crc.getValue();
        char[] digits = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }
}
