package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterRegistryTest {

    private static final long W10 = Duration.ofSeconds(10).toNanos();
    private static final LimiterKey A = new LimiterKey("token-a", "def-1");
    private static final LimiterKey B = new LimiterKey("token-b", "def-1");
    private static final LimiterKey A2 = new LimiterKey("token-a", "def-2");

    private final FakeNanoClock clock = new FakeNanoClock();
    private final RateLimiterRegistry<LimiterKey> registry = new RateLimiterRegistry<>(clock);

    @Test
    void tryAcquireWhenDifferentKeysThenIndependent() {
        assertTrue(registry.tryAcquire(A, 1, W10).allowed());
        assertFalse(registry.tryAcquire(A, 1, W10).allowed());
        assertTrue(registry.tryAcquire(B, 1, W10).allowed());
        assertTrue(registry.tryAcquire(A2, 1, W10).allowed()); // same token, other definition
        assertEquals(3, registry.size());
    }

    @Test
    void evictOnceWhenIdleForWindowThenRemovedAndActiveKept() {
        registry.tryAcquire(A, 5, W10); // at 0
        clock.advance(Duration.ofSeconds(5));
        registry.tryAcquire(B, 5, W10); // at 5 s
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertEquals(0, registry.evictOnce()); // A's admission still counts for 1 ns
        clock.advance(1);
        assertEquals(1, registry.evictOnce()); // 10 s: A idle for its window, B not
        assertNull(registry.limiterOf(A));
        assertTrue(registry.limiterOf(B) != null);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, registry.evictOnce());
        assertEquals(0, registry.size());
    }

    @Test
    void evictOnceWhenDeniedRequestsOnlyThenStillWaitsForAdmissionsToAge() {
        registry.tryAcquire(A, 1, W10);
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertFalse(registry.tryAcquire(A, 1, W10).allowed());
            assertEquals(0, registry.evictOnce());
        }
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, registry.evictOnce());
    }

    @Test
    void tryAcquireWhenHeldLimiterWasEvictedThenAdmissionGoesToFreshLimiter() {
        registry.tryAcquire(A, 1, W10);
        SlidingWindowLimiter old = registry.limiterOf(A);
        clock.advance(Duration.ofSeconds(10));
        // An evictor retires it but has not removed it yet: simulate by retiring only.
        assertTrue(old.retireIfIdle(clock.nanoTime()));
        assertSame(old, registry.limiterOf(A));
        Decision d = registry.tryAcquire(A, 1, W10);
        assertTrue(d.allowed());
        SlidingWindowLimiter fresh = registry.limiterOf(A);
        assertNotSame(old, fresh);
        assertFalse(fresh.isRetired());
        assertFalse(registry.tryAcquire(A, 1, W10).allowed()); // the admission was not lost
        assertEquals(0, registry.evictOnce());
    }

    @Test
    void forgetWhenTokenMatchesThenDropsItsStateOnly() {
        registry.tryAcquire(A, 1, W10);
        registry.tryAcquire(A2, 1, W10);
        registry.tryAcquire(B, 1, W10);
        assertEquals(2, registry.forget(k -> k.tokenId().equals("token-a")));
        assertEquals(1, registry.size());
        assertTrue(registry.tryAcquire(A, 1, W10).allowed());
        assertFalse(registry.tryAcquire(B, 1, W10).allowed());
    }
}
