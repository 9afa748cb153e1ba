package io.udapi.manage;

import io.udapi.limit.Decision;
import io.udapi.limit.NanoClock;
import io.udapi.limit.SlidingWindowLimiter;
import io.udapi.secret.SecretDigester;
import io.udapi.token.TokenName;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Bounds online guessing of admin passwords (docs/security.md, "Admin credentials"): each user name gets at most
 * {@code attempts} password verifications a minute that no cache answered (a signed-in admin's requests are
 * answered from the cache and never count; a wrong pair repeated is answered from the failure memory; a refusal
 * for a full Argon2 gate spends none). Beyond them the sign-in answers 429 {@code TooManyAttempts} with the seconds
 * until an attempt is free, and no Argon2 runs.
 *
 * <p>Unknown names are throttled exactly like known ones, so a 429 does not tell which names exist. The names
 * share {@link #BUCKETS} sliding windows, chosen by a keyed digest of the name (this process's random key), so the
 * memory is fixed whatever a flood of names costs, and nobody can aim a name at another user's window; the windows
 * are the trigger path's lock-free {@link SlidingWindowLimiter}, created on first use. Per instance, like the caches.
 */
final class SignInThrottle {

    static final int BUCKETS = 4096;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final SecretDigester digester;
    private final NanoClock clock;
    private final int attempts;
    private final AtomicReferenceArray<SlidingWindowLimiter> windows = new AtomicReferenceArray<>(BUCKETS);

    /** @param attempts 1..{@link SlidingWindowLimiter#MAX_LIMIT} uncached verifications per name and minute */
    SignInThrottle(SecretDigester digester, NanoClock clock, int attempts) {
        if (attempts < 1 || attempts > SlidingWindowLimiter.MAX_LIMIT) {
            throw new IllegalArgumentException("udapi.admin.sign-in-attempts must be 1.." + SlidingWindowLimiter.MAX_LIMIT
                    + ", got " + attempts);
        }
        this.digester = digester;
        this.clock = clock;
        this.attempts = attempts;
    }

    /** Counts one uncached verification of {@code name}; denied when the name's window is full. Lock-free. */
    Decision attempt(String name) {
        int bucket = bucketOf(name);
        long now = clock.nanoTime();
        SlidingWindowLimiter window = windows.get(bucket);
        if (window == null) {
            windows.compareAndSet(bucket, null, new SlidingWindowLimiter(now));
            window = windows.get(bucket);
        }
        return window.tryAcquire(now, attempts, WINDOW.toNanos());
    }

    /** The window {@code name} counts in; names that differ only in case share it. */
    int bucketOf(String name) {
        return Math.floorMod(digester.digest("sign-in\u0000" + TokenName.key(name)).hashCode(), BUCKETS);
    }
}
