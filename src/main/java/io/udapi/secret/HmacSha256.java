package io.udapi.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 under one fixed key, cheap from any thread: each thread keeps its own initialised {@link Mac}
 * (a {@code Mac} is not thread-safe, and {@code Mac.getInstance} + {@code init} costs several microseconds,
 * while a reused instance costs about 180 ns for a short input). The key bytes are copied into the
 * {@link SecretKeySpec} and the caller's array is not kept.
 */
final class HmacSha256 {

    static final String ALGORITHM = "HmacSHA256";
    static final int LENGTH = 32;

    private final ThreadLocal<Mac> macs;

    HmacSha256(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        Mac first = newMac(spec); // fail at construction, not on first use, when HMAC-SHA-256 is missing
        this.macs = ThreadLocal.withInitial(() -> newMac(spec));
        this.macs.set(first);
    }

    /** The 32-byte MAC of the UTF-8 encoding of {@code text}; the temporary copy of {@code text} is wiped. */
    byte[] mac(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        try {
            // doFinal resets the Mac, so the per-thread instance is ready for the next call even if it throws.
            return macs.get().doFinal(input);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private static Mac newMac(SecretKeySpec spec) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(spec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available in this JVM", e);
        }
    }
}
