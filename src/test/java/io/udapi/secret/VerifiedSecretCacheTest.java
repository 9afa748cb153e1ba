package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.secret.VerifiedSecretCache.Unverified;
import io.udapi.secret.VerifiedSecretCache.Verified;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedSecretCacheTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private final SecretDigester digester = new SecretDigester();
    /** Fake monotonic clock in nanoseconds; starts near the top to prove overflow-safe comparisons. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - TTL.toNanos() / 2);
    private final VerifiedSecretCache cache = new VerifiedSecretCache(100, 3, TTL, now::get);

    private SecretDigest digest(String name) {
        return digester.digest("secret-of-" + name + "-0123456789abcdefghijklmnop");
    }

    // ---- positive part -------------------------------------------------------------------------------------

    @Test
    void lookupWhenRememberedThenHit() {
        assertTrue(cache.remember(digest("a"), "token-a", 7, cache.generation()));

        assertEquals(Optional.of(new Verified("token-a", 7)), cache.lookup(digest("a")));
    }

    @Test
    void lookupWhenNeverRememberedThenMiss() {
        cache.remember(digest("a"), "token-a", 7, cache.generation());

        assertEquals(Optional.empty(), cache.lookup(digest("b")));
    }

    @Test
    void forgetTokenWhenCalledThenEveryEntryOfThatTokenGoesAndOthersStay() {
        cache.remember(digest("a-old"), "token-a", 1, cache.generation());
        cache.remember(digest("a-new"), "token-a", 2, cache.generation());
        cache.remember(digest("b"), "token-b", 1, cache.generation());

        cache.forgetToken("token-a");

        assertEquals(Optional.empty(), cache.lookup(digest("a-old")));
        assertEquals(Optional.empty(), cache.lookup(digest("a-new")));
        assertEquals(Optional.of(new Verified("token-b", 1)), cache.lookup(digest("b")));
        assertEquals(1, cache.size());
    }

    @Test
    void rememberWhenFullThenNotStoredAndExistingEntriesKept() {
        VerifiedSecretCache small = new VerifiedSecretCache(2, 3, TTL, now::get);
        long generation = small.generation();
        small.remember(digest("a"), "token-a", 1, generation);
        small.remember(digest("b"), "token-b", 1, generation);

        assertFalse(small.remember(digest("c"), "token-c", 1, generation));

        assertEquals(2, small.size());
        assertEquals(Optional.empty(), small.lookup(digest("c")));
        assertTrue(small.lookup(digest("a")).isPresent());
        assertTrue(small.lookup(digest("b")).isPresent());
    }

    @Test
    void rememberWhenTokenChangedDuringVerificationThenSkipped() {
        long generationAtStart = cache.generation();

        cache.forgetToken("token-a"); // the token was rotated while Argon2 ran

        assertFalse(cache.remember(digest("a"), "token-a", 1, generationAtStart));
        assertEquals(Optional.empty(), cache.lookup(digest("a")));
    }

    @Test
    void defaultsWhenBuiltThenDocumentedBounds() {
        assertEquals(100_000, VerifiedSecretCache.DEFAULT_MAX_VERIFIED);
        assertEquals(10_000, VerifiedSecretCache.DEFAULT_MAX_FAILURES);
        assertEquals(Duration.ofSeconds(10), VerifiedSecretCache.DEFAULT_FAILURE_TTL);
        assertEquals(0, new VerifiedSecretCache().size());
    }

    // ---- negative part -------------------------------------------------------------------------------------

    @Test
    void isKnownBadWhenFailureRememberedThenTrueUntilTtlPasses() {
        cache.rememberFailure(digest("bad"), cache.generation());

        assertTrue(cache.isKnownBad(digest("bad")));
        now.addAndGet(TTL.toNanos() - 1); // crosses Long.MAX_VALUE: the clock wraps, comparisons must not
        assertTrue(cache.isKnownBad(digest("bad")));
        now.addAndGet(1); // exactly the TTL: forgotten
        assertFalse(cache.isKnownBad(digest("bad")));
        assertEquals(0, cache.failureCount()); // the expired entry was removed when read
    }

    @Test
    void isKnownBadWhenNeverFailedThenFalse() {
        cache.rememberFailure(digest("bad"), cache.generation());

        assertFalse(cache.isKnownBad(digest("good")));
    }

    @Test
    void clearFailuresWhenCalledThenNothingKnownBadAndProofsKept() {
        cache.rememberFailure(digest("bad-1"), cache.generation());
        cache.rememberFailure(digest("bad-2"), cache.generation());
        cache.remember(digest("a"), "token-a", 1, cache.generation());

        cache.clearFailures();

        assertFalse(cache.isKnownBad(digest("bad-1")));
        assertFalse(cache.isKnownBad(digest("bad-2")));
        assertEquals(0, cache.failureCount());
        assertTrue(cache.lookup(digest("a")).isPresent());
    }

    @Test
    void rememberFailureWhenFailuresClearedDuringVerificationThenSkipped() {
        long generationAtStart = cache.generation();

        cache.clearFailures(); // a token got this very secret while Argon2 ran against the old candidates

        assertFalse(cache.rememberFailure(digest("bad"), generationAtStart));
        assertFalse(cache.isKnownBad(digest("bad")));
    }

    @Test
    void rememberFailureWhenFullOfLiveFailuresThenSkipped() {
        long generation = cache.generation();
        cache.rememberFailure(digest("bad-1"), generation);
        cache.rememberFailure(digest("bad-2"), generation);
        cache.rememberFailure(digest("bad-3"), generation);

        assertFalse(cache.rememberFailure(digest("bad-4"), generation));

        assertFalse(cache.isKnownBad(digest("bad-4")));
        assertEquals(3, cache.failureCount());
    }

    @Test
    void rememberFailureWhenFullOfExpiredFailuresThenPurgesAndStores() {
        long generation = cache.generation();
        cache.rememberFailure(digest("bad-1"), generation);
        cache.rememberFailure(digest("bad-2"), generation);
        now.addAndGet(TTL.toNanos() / 2);
        cache.rememberFailure(digest("bad-3"), generation);
        now.addAndGet(TTL.toNanos() / 2); // bad-1 and bad-2 expired, bad-3 lives

        assertTrue(cache.rememberFailure(digest("bad-4"), generation));

        assertEquals(2, cache.failureCount());
        assertTrue(cache.isKnownBad(digest("bad-3")));
        assertTrue(cache.isKnownBad(digest("bad-4")));
    }

    @Test
    void evictExpiredWhenCalledThenRemovesOnlyExpired() {
        cache.rememberFailure(digest("bad-1"), cache.generation());
        now.addAndGet(TTL.toNanos());
        cache.rememberFailure(digest("bad-2"), cache.generation());

        assertEquals(1, cache.evictExpired());

        assertEquals(1, cache.failureCount());
        assertTrue(cache.isKnownBad(digest("bad-2")));
    }

    // ---- the store-or-skip decision ------------------------------------------------------------------------

    @Test
    void recordWhenErrorThenNothingStored() {
        assertFalse(cache.record(digest("x"), Unverified.ERROR, cache.generation()));

        assertFalse(cache.isKnownBad(digest("x")));
        assertEquals(Optional.empty(), cache.lookup(digest("x")));
        assertEquals(0, cache.failureCount());
        assertEquals(0, cache.size());
    }

    @Test
    void recordWhenEachOutcomeThenStoredInItsPart() {
        assertTrue(cache.record(digest("good"), new Verified("token-a", 3), cache.generation()));
        assertTrue(cache.record(digest("bad"), Unverified.NO_MATCH, cache.generation()));

        assertEquals(Optional.of(new Verified("token-a", 3)), cache.lookup(digest("good")));
        assertFalse(cache.isKnownBad(digest("good")));
        assertTrue(cache.isKnownBad(digest("bad")));
        assertEquals(Optional.empty(), cache.lookup(digest("bad")));
    }
}
