package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Single-threaded behaviour of one limiter, on a fake clock (no sleeps). Times are written as
 * seconds after an arbitrary origin {@code T0}.
 */
class SlidingWindowLimiterTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long T0 = 7_654_321_987_654_321L;
    private static final long W10 = 10 * S;

    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(T0);

    private Decision at(long nanosAfterT0, int limit, long window) {
        return limiter.tryAcquire(T0 + nanosAfterT0, limit, window);
    }

    @Test
    void tryAcquireWhenUnderLimitThenAdmitsAndCountsDownRemaining() {
        assertAllowed(at(0, 3, W10), 2);
        assertAllowed(at(1 * S, 3, W10), 1);
        assertAllowed(at(2 * S, 3, W10), 0);
        Decision denied = at(3 * S, 3, W10);
        assertFalse(denied.allowed());
        assertEquals(0, denied.remaining());
        assertEquals(7 * S, denied.retryAfterNanos()); // the admission at 0 leaves at 10 s
    }

    @Test
    void tryAcquireAtWindowMinusOneNanoThenDeniedAtWindowThenAdmitted() {
        // Window is (now - window, now]: an admission exactly `window` ago no longer counts, so
        // "fewer than limit admitted in the preceding window" holds at exactly 10 s.
        assertAllowed(at(0, 1, W10), 0);
        Decision justBefore = at(W10 - 1, 1, W10);
        assertFalse(justBefore.allowed());
        assertEquals(1, justBefore.retryAfterNanos());
        assertEquals(1, justBefore.retryAfterSeconds()); // 1 ns rounds up to the 1 s minimum
        assertAllowed(at(W10, 1, W10), 0);
    }

    @Test
    void retryAfterIsSecondsUntilOldestLeavesRoundedUp() {
        // limit 2 / 10 s, admissions at 0 and 3.2 s
        assertTrue(at(0, 2, W10).allowed());
        assertTrue(at(3_200 * MS, 2, W10).allowed());
        // at 5 s: the admission at 0 leaves at 10 s -> 5.0 s -> 5
        Decision at5 = at(5 * S, 2, W10);
        assertFalse(at5.allowed());
        assertEquals(5 * S, at5.retryAfterNanos());
        assertEquals(5, at5.retryAfterSeconds());
        // at 5.5 s: 4.5 s -> rounded up to 5
        Decision at55 = at(5_500 * MS, 2, W10);
        assertEquals(4_500 * MS, at55.retryAfterNanos());
        assertEquals(5, at55.retryAfterSeconds());
        // at 9.9 s: 0.1 s -> 1
        assertEquals(1, at(9_900 * MS, 2, W10).retryAfterSeconds());
        // at 10 s the admission at 0 has left; the one at 3.2 s still counts
        Decision at10 = at(10 * S, 2, W10);
        assertAllowed(at10, 0);
        // next slot frees when 3.2 s leaves: at 13.2 s, 3.2 s from now
        assertEquals(3_200 * MS, at10.resetNanos());
    }

    @Test
    void resetIsTimeUntilOldestCountedAdmissionLeaves() {
        Decision first = at(0, 3, W10);
        assertEquals(W10, first.resetNanos()); // only itself counts
        assertEquals(10, first.resetSeconds());
        Decision second = at(4 * S, 3, W10);
        assertEquals(6 * S, second.resetNanos()); // the one at 0 leaves at 10 s
        assertEquals(1, second.remaining());
        // at 12 s: (2, 12] holds 4 s only; after admitting, 2 count, 1 remains; 4 s leaves at 14 s
        Decision third = at(12 * S, 3, W10);
        assertAllowed(third, 1);
        assertEquals(2 * S, third.resetNanos());
    }

    @Test
    void tryAcquireWhenDeniedThenDenialsDoNotCount() {
        assertTrue(at(0, 1, W10).allowed());
        for (long t = 1; t < 10; t++) {
            assertFalse(at(t * S, 1, W10).allowed());
        }
        // had the nine denials counted, this would be refused until 19 s
        assertAllowed(at(W10, 1, W10), 0);
    }

    @Test
    void tryAcquireWhenLimitRaisedThenPastAdmissionsStillCount() {
        assertTrue(at(0, 2, W10).allowed());
        assertTrue(at(1 * S, 2, W10).allowed());
        assertFalse(at(2 * S, 2, W10).allowed());
        // raised to 4: the two past admissions count, so two more fit
        assertAllowed(at(2 * S, 4, W10), 1);
        assertAllowed(at(3 * S, 4, W10), 0);
        Decision denied = at(4 * S, 4, W10);
        assertFalse(denied.allowed());
        assertEquals(6 * S, denied.retryAfterNanos()); // the admission at 0 leaves at 10 s
    }

    @Test
    void tryAcquireWhenLimitLoweredBelowPastAdmissionsThenRefusesUntilEnoughAgeOut() {
        for (long t = 0; t < 5; t++) {
            assertTrue(at(t * S, 5, W10).allowed());
        }
        // lowered to 2 with 5 in the window: refused until only 1 remains, i.e. until the
        // admission at 3 s (the 2nd newest) leaves at 13 s, not when the oldest leaves at 10 s.
        Decision denied = at(5 * S, 2, W10);
        assertFalse(denied.allowed());
        assertEquals(8 * S, denied.retryAfterNanos());
        assertFalse(at(10 * S, 2, W10).allowed());
        assertFalse(at(13 * S - 1, 2, W10).allowed());
        assertAllowed(at(13 * S, 2, W10), 0); // (3, 13] holds 4 s and now
    }

    @Test
    void tryAcquireWhenSameInstantThenStampsAreOneNanoApart() {
        // Stamps must strictly increase, so admissions at the same instant are recorded 1 ns
        // apart (at most limit - 1 ns late): conservative, an under-admission of at most 99 ns.
        assertTrue(at(0, 3, W10).allowed());
        assertTrue(at(0, 3, W10).allowed());
        assertTrue(at(0, 3, W10).allowed());
        assertFalse(at(0, 3, W10).allowed());
        assertAllowed(at(W10, 3, W10), 0); // first one (stamp 0) left
        Decision oneNanoShort = at(W10, 3, W10); // second one was stamped 1 ns
        assertFalse(oneNanoShort.allowed());
        assertEquals(1, oneNanoShort.retryAfterNanos());
        assertTrue(at(W10 + 1, 3, W10).allowed());
    }

    @Test
    void tryAcquireWhenClockReadingIsOlderThanNewestStampThenStillExact() {
        // A request that read the clock before another one was admitted (a preempted thread).
        assertTrue(at(5 * S, 2, W10).allowed());
        assertTrue(at(4 * S, 2, W10).allowed()); // stamped 5 s + 1 ns, not 4 s
        assertFalse(at(14 * S, 2, W10).allowed()); // 5 s + 1 ns is still in (4, 14]
        assertTrue(at(15 * S + 1, 2, W10).allowed());
    }

    @Test
    void tryAcquireWhenCapacityFullThenWrapsAroundTheRing() {
        long window = 1_000;
        for (int round = 0; round < 5; round++) {
            long start = round * 10_000L;
            for (int k = 0; k < 100; k++) {
                assertAllowed(at(start + k, 100, window), 99 - k);
            }
            assertFalse(at(start + 100, 100, window).allowed());
        }
    }

    /**
     * Differential test against a plain list: random limits (changing on every call), windows and
     * time steps, including same-instant bursts and stale readings, on rings of several capacities
     * (small ones wrap around all the time).
     */
    @Test
    void tryAcquireMatchesReferenceModelOnRandomSchedules() {
        SplittableRandom random = new SplittableRandom(20_261_129);
        for (int capacity : new int[] {1, 2, 3, 7, 100}) {
            SlidingWindowLimiter ring = new SlidingWindowLimiter(T0, capacity);
            List<Long> stamps = new ArrayList<>();
            long now = 0;
            for (int step = 0; step < 200_000; step++) {
                int limit = 1 + random.nextInt(capacity);
                long window = 1 + random.nextInt(random.nextBoolean() ? 50 : 5_000);
                int kind = random.nextInt(10);
                long reading = now;
                if (kind < 6) {
                    now += random.nextInt(40);
                    reading = now;
                } else if (kind == 6) {
                    reading = now - random.nextInt(30); // an older reading (a preempted thread)
                }
                final long at = reading;
                Decision got = ring.tryAcquire(T0 + at, limit, window);
                Decision expected = AbstractLimiterContractTest.reference(stamps, at, limit, window, 1); // the rule of the class comment
                assertEquals(expected, got, () -> "capacity " + capacity + " limit " + limit
                        + " window " + window + " at " + at);
            }
        }
    }

    @Test
    void tryAcquireWhenRetiredThenFailsClosedAndNeverRecords() {
        assertTrue(at(0, 5, W10).allowed());
        assertFalse(limiter.retireIfIdle(T0 + W10 - 1)); // still counts the admission at 0
        assertTrue(limiter.retireIfIdle(T0 + W10));
        assertTrue(limiter.isRetired());
        assertTrue(limiter.retireIfIdle(T0 + W10)); // idempotent
        assertTrue(at(W10, 5, W10).isFailClosed());
        assertEquals(null, limiter.acquireUnlessRetired(T0 + W10, 5, W10));
    }

    @Test
    void retireIfIdleUsesLargestWindowAdmittedWith() {
        assertTrue(at(0, 5, W10).allowed());
        assertTrue(at(1 * S, 5, 1 * S).allowed()); // window shortened to 1 s
        // The admission at 0 would still count if the window went back to 10 s: keep the state.
        assertFalse(limiter.retireIfIdle(T0 + 5 * S));
        assertTrue(limiter.retireIfIdle(T0 + 11 * S));
    }

    @Test
    void retireWhenActiveThenRetiresAnyway() {
        assertTrue(at(0, 5, W10).allowed());
        limiter.retire();
        assertTrue(limiter.isRetired());
        assertTrue(at(1, 5, W10).isFailClosed());
    }

    @Test
    void tryAcquireWhenArgumentsOutOfRangeThenThrows() {
        assertThrows(IllegalArgumentException.class, () -> at(0, 0, W10));
        assertThrows(IllegalArgumentException.class, () -> at(0, 101, W10));
        assertThrows(IllegalArgumentException.class, () -> at(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> at(0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindowLimiter(0, 3).tryAcquire(0, 4, 1));
    }

    private static void assertAllowed(Decision decision, int remaining) {
        assertTrue(decision.allowed(), () -> "expected an admission, got " + decision);
        assertEquals(remaining, decision.remaining(), () -> "remaining of " + decision);
    }
}
