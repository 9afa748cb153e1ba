package io.udapi.secret;

import java.nio.ByteBuffer;

/**
 * An in-memory cache key standing for a presented secret: the 256-bit HMAC-SHA-256 made by a
 * {@link SecretDigester} under its per-process random key. Immutable value (four {@code long}s, no array);
 * {@code equals}/{@code hashCode} over the content. It is not the secret, and because its key never leaves
 * the process it allows no check of a guessed secret, so ordinary (non-constant-time) map comparisons are
 * fine. {@link #toString()} shows nothing of the content, so a digest is safe in a log line.
 */
public final class SecretDigest {

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    SecretDigest(byte[] mac) {
        if (mac.length != HmacSha256.LENGTH) {
            throw new IllegalArgumentException("a digest has 32 bytes, got " + mac.length);
        }
        ByteBuffer words = ByteBuffer.wrap(mac);
        this.w0 = words.getLong();
        this.w1 = words.getLong();
        this.w2 = words.getLong();
        this.w3 = words.getLong();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretDigest d && w0 == d.w0 && w1 == d.w1 && w2 == d.w2 && w3 == d.w3;
    }

    /** The first 32 bits: uniformly distributed already, since the digest is a MAC output. */
    @Override
    public int hashCode() {
        return (int) (w0 >>> 32);
    }

    @Override
    public String toString() {
        return "SecretDigest[redacted]";
    }
}
