package io.udapi.secret;

import java.util.Base64;
import java.util.Optional;

/**
 * Encoding and strict decoding of the one PHC string form udapi writes and reads:
 * {@code $argon2id$v=19$m=<int>,t=<int>,p=<int>$<salt>$<hash>}, salt and hash in standard Base64 without
 * padding (the PHC string format and the reference {@code argon2} CLI's output).
 *
 * <p>Decoding accepts nothing else: other Argon2 variants, version 16 or a missing {@code v=}, parameters in
 * another order or with extra keys ({@code keyid}, {@code data}), leading zeros or signs, padding, a salt
 * outside {@value #MIN_SALT_BYTES}..{@value #MAX_SALT_BYTES} bytes, a hash outside
 * {@value #MIN_HASH_BYTES}..{@value #MAX_HASH_BYTES} bytes, or parameters outside {@link Argon2Params}'
 * bounds. Every such string decodes to empty; decoding never throws.
 *
 * <p>Instances are immutable: arrays are copied in and out. Stateless and thread-safe.
 */
final class PhcString {

    static final String PREFIX = "$argon2id$v=19$";
    static final int MIN_SALT_BYTES = 8;
    static final int MAX_SALT_BYTES = 64;
    static final int MIN_HASH_BYTES = 16;
    static final int MAX_HASH_BYTES = 64;
    /** Longer input is refused before any parsing: 64-byte salt and hash plus parameters stay far below. */
    static final int MAX_LENGTH = 256;

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final Argon2Params params;
    private final byte[] salt;
    private final byte[] hash;

    PhcString(Argon2Params params, byte[] salt, byte[] hash) {
        this.params = params;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    Argon2Params params() {
        return params;
    }

    byte[] salt() {
        return salt.clone();
    }

    int saltLength() {
        return salt.length;
    }

    byte[] hash() {
        return hash.clone();
    }

    int hashLength() {
        return hash.length;
    }

    /** The canonical text; {@code decode(encode())} gives an equal value. */
    String encode() {
        return PREFIX + "m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Decodes {@code text}, or answers empty when it is not exactly the supported form (never throws). */
    static Optional<PhcString> decode(String text) {
        if (text == null || text.length() > MAX_LENGTH || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        // After the prefix: "m=..,t=..,p=..$salt$hash" — exactly two more '$'.
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        String[] costs = parts[0].split(",", -1);
        if (costs.length != 3) {
            return Optional.empty();
        }
        int m = positiveInt(costs[0], "m=");
        int t = positiveInt(costs[1], "t=");
        int p = positiveInt(costs[2], "p=");
        if (m < 0 || t < 0 || p < 0) {
            return Optional.empty();
        }
        Argon2Params params;
        try {
            params = new Argon2Params(m, t, p);
        } catch (IllegalArgumentException outOfBounds) {
            return Optional.empty();
        }
        byte[] salt = base64(parts[1]);
        byte[] hash = base64(parts[2]);
        if (salt == null || salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES
                || hash == null || hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new PhcString(params, salt, hash));
    }

    /** {@code key} followed by 1..9 decimal digits without a leading zero, or -1. */
    private static int positiveInt(String field, String key) {
        if (!field.startsWith(key)) {
            return -1;
        }
        int length = field.length() - key.length();
        if (length < 1 || length > 9 || field.charAt(key.length()) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = key.length(); i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Standard-alphabet Base64 without padding, or null. */
    private static byte[] base64(String text) {
        if (text.isEmpty() || text.indexOf('=') >= 0) {
            return null;
        }
        try {
            return DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
