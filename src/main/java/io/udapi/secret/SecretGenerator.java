package io.udapi.secret;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Generates token secrets when a create or rotation gives none (SPEC 1.1): {@value #RANDOM_BYTES} bytes
 * (256 bits, above the 190 required) from {@link SecureRandom}, encoded as Base64url without padding, which
 * gives {@value #LENGTH} characters of {@code A-Z a-z 0-9 - _} — all allowed by {@link SecretRules}.
 *
 * <p>Thread-safe ({@link SecureRandom} is). Build it at run time, not into a native image heap.
 */
public final class SecretGenerator {

    public static final int RANDOM_BYTES = 32;
    /** Length of a generated secret: ceil(32 * 8 / 6). */
    public static final int LENGTH = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    SecretGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new random secret of {@value #LENGTH} characters. */
    public String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        try {
            return ENCODER.encodeToString(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
