package io.udapi.secret;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lookup tag of a secret (docs/security.md, "Token secrets on the trigger path"): the first 4 bytes, big-endian, of HMAC-SHA-256 keyed with the
 * deployment's pepper ({@code udapi.secrets.pepper}, UTF-8 bytes), as an {@code int}.
 *
 * <p>The tag is stored next to a token's Argon2id hash and used only to find the few candidate tokens of a
 * presented secret and to check uniqueness: a secret whose tag matches no token is refused without Argon2.
 * 32 bits cannot identify a secret, and without the pepper (never stored with the data) the tag does not even
 * allow an offline check of a guessed secret.
 *
 * <p>Threading: thread-safe, one {@link javax.crypto.Mac} per thread; about 200 ns per call, so it runs inline
 * on the event loop. Errors: the constructor fails fast on a null, empty or blank pepper; {@link #tag} throws
 * only on a null secret.
 */
public final class LookupTagger {

    private final HmacSha256 hmac;

    /**
     * @param pepper the deployment's pepper, the same on every instance
     * @throws IllegalArgumentException when {@code pepper} is null, empty or only whitespace
     */
    public LookupTagger(String pepper) {
        if (pepper == null || pepper.isBlank()) {
            throw new IllegalArgumentException(
                    "udapi.secrets.pepper must be set to a non-blank value, the same on every instance");
        }
        byte[] key = pepper.getBytes(StandardCharsets.UTF_8);
        try {
            this.hmac = new HmacSha256(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The 32-bit lookup tag of {@code secret}. */
    public int tag(String secret) {
        byte[] mac = hmac.mac(secret);
        try {
            return (mac[0] & 0xff) << 24 | (mac[1] & 0xff) << 16 | (mac[2] & 0xff) << 8 | (mac[3] & 0xff);
        } finally {
            Arrays.fill(mac, (byte) 0);
        }
    }
}
