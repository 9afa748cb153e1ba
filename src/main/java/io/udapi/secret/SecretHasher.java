package io.udapi.secret;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The one Argon2id hasher of udapi, for token secrets and admin passwords (docs/concepts.md, "Tokens").
 *
 * <p>Output: a PHC string {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with a
 * {@value #SALT_BYTES}-byte salt from {@link SecureRandom} and a {@value #HASH_BYTES}-byte hash, made with the
 * current {@link Argon2Params} (default {@link Argon2Params#OWASP_MINIMUM}). The input is the UTF-8 encoding of
 * the secret, not normalised. Verification recomputes with the parameters, salt and length written in the
 * stored string (so older parameters keep verifying) and compares with {@link MessageDigest#isEqual}, which
 * is constant-time in the content. {@link #needsRehash} tells when a stored hash is weaker than the current
 * parameters, so a caller can re-hash after a successful check.
 *
 * <p>Threading: immutable and thread-safe. {@link #hash} and {@link #matches} run Argon2 (about 16 ms and
 * 19 MiB each at the default): call them on a worker thread, never on the event loop, and through a
 * {@link VerificationGate} on the request path. {@link #needsRehash} is cheap.
 *
 * <p>Errors: {@link #matches} answers false, and never throws, for a null or empty secret and for a stored
 * string that is malformed or unsupported (see {@link PhcString}). It throws only on a fault of the native
 * Argon2 library (for example memory exhausted) — a fault, not a mismatch, which callers must not remember as
 * a failed secret. Plaintext byte copies and computed hashes are wiped after use; the caller's {@code String}
 * cannot be.
 */
public final class SecretHasher {

    /** Salt length of new hashes (the PHC and OWASP recommendation of at least 16 bytes). */
    public static final int SALT_BYTES = 16;
    /** Hash length of new hashes. */
    public static final int HASH_BYTES = 32;

    private final Argon2Params params;
    private final SecureRandom random;
    /** argon2-jvm instances are thread-safe; this one makes {@value #HASH_BYTES}-byte hashes. */
    private final Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);

    /** A hasher with {@link Argon2Params#OWASP_MINIMUM} and a new {@link SecureRandom}. */
    public SecretHasher() {
        this(Argon2Params.OWASP_MINIMUM);
    }

    /** A hasher with the given current parameters and a new {@link SecureRandom}. */
    public SecretHasher(Argon2Params params) {
        this(params, new SecureRandom());
    }

    SecretHasher(Argon2Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The parameters of new hashes. */
    public Argon2Params params() {
        return params;
    }

    /**
     * Hashes {@code secret} with a fresh random salt.
     *
     * @throws IllegalArgumentException when {@code secret} is null or empty
     */
    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return hash(secret, salt);
    }

    /** {@link #hash(String)} with a given salt: for the known-answer test only. */
    String hash(String secret, byte[] salt) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        byte[] computed = compute(secret, params, salt, HASH_BYTES);
        try {
            return new PhcString(params, salt, computed).encode();
        } finally {
            Arrays.fill(computed, (byte) 0);
        }
    }

    /**
     * Whether {@code secret} is the one {@code phc} was made from. False for a null or empty secret and for a
     * malformed or unsupported {@code phc}; never throws for those.
     *
     * @throws IllegalStateException on a fault of the native Argon2 library (not a mismatch)
     */
    public boolean matches(String secret, String phc) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        Optional<PhcString> decoded = PhcString.decode(phc);
        if (decoded.isEmpty()) {
            return false;
        }
        PhcString stored = decoded.get();
        byte[] expected = stored.hash();
        byte[] actual = compute(secret, stored.params(), stored.salt(), expected.length);
        try {
            return MessageDigest.isEqual(expected, actual);
        } finally {
            Arrays.fill(actual, (byte) 0);
            Arrays.fill(expected, (byte) 0);
        }
    }

    /**
     * Whether {@code phc} should be replaced by a new {@link #hash} after the next successful {@link #matches}:
     * it is malformed or unsupported, or made with less memory or fewer iterations than {@link #params()}, or
     * with a salt or hash shorter than new hashes have.
     */
    public boolean needsRehash(String phc) {
        Optional<PhcString> decoded = PhcString.decode(phc);
        if (decoded.isEmpty()) {
            return true;
        }
        PhcString stored = decoded.get();
        return stored.params().isWeakerThan(params)
                || stored.saltLength() < SALT_BYTES
                || stored.hashLength() < HASH_BYTES;
    }

    private byte[] compute(String secret, Argon2Params p, byte[] salt, int hashLength) {
        byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
        try {
            Argon2Advanced engine = hashLength == HASH_BYTES
                    ? argon2
                    : Argon2Factory.createAdvanced(Argon2Types.ARGON2id, SALT_BYTES, hashLength);
            return engine.rawHash(p.iterations(), p.memoryKiB(), p.parallelism(), plain, salt);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
