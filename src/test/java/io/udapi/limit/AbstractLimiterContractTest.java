package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Limiter}, run against every implementation (the local rings, the Redis script): the
 * rule, the {@link Decision} values (remaining, reset, retry-after), limit changes, and exactness under
 * concurrency. Time is virtual: each implementation reads {@link #clock}, which a test moves. Times are whole
 * multiples of {@link #resolution()}, the step between two stamps of one key (the local ring: 1 ns; the Redis
 * log: 1 µs), so both implementations see the same history.
 */
public abstract class AbstractLimiterContractTest {

    protected static final long S = 1_000_000_000L;
    private static final long W10 = 10 * S;

    /** The clock every limiter under test reads; starts at an odd, large origin. */
    protected final AtomicLong now = new AtomicLong(7_654_321_987_000_000L);
    protected final NanoClock clock = now::get;
    private final LimiterKey key = new LimiterKey("token-" + UUID.randomUUID(), UUID.randomUUID().toString());
    private long origin;

    /** A limiter on {@link #clock}; every call of one test answers limiters over the same counts. */
    protected abstract Limiter limiter();

    /** The smallest step between two stamps of one key, in nanoseconds. */
    protected abstract long resolution();

    private Decision at(long nanosAfterStart, int limit, long window) {
        if (origin == 0) {
            origin = now.get();
        }
        now.set(origin + nanosAfterStart);
        return join(limiter().tryAcquire(key, limit, window));
    }

    private static Decision join(java.util.concurrent.CompletionStage<Decision> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the limiter failed", e);
        }
    }

    @Test
    void tryAcquireWhenUnderLimitThenAdmitsAndCountsDownRemaining() {
        assertAllowed(at(0, 3, W10), 2, W10);
        assertAllowed(at(1 * S, 3, W10), 1, 9 * S);
        assertAllowed(at(2 * S, 3, W10), 0, 8 * S);
        Decision denied = at(3 * S, 3, W10);
        assertEquals(Decision.denied(7 * S), denied); // the admission at 0 leaves at 10 s
    }

    @Test
    void tryAcquireAtWindowMinusOneStepThenDeniedAtWindowThenAdmitted() {
        long step = resolution();
        assertAllowed(at(0, 1, W10), 0, W10);
        Decision justBefore = at(W10 - step, 1, W10);
        assertEquals(Decision.denied(step), justBefore);
        assertEquals(1, justBefore.retryAfterSeconds()); // rounds up to the 1 s minimum
        assertAllowed(at(W10, 1, W10), 0, W10); // (now - window, now] is half-open
    }

    @Test
    void retryAfterAndResetAreTimesUntilTheOldestCountedAdmissionLeaves() {
        assertTrue(at(0, 2, W10).allowed());
        assertTrue(at(3_200_000_000L, 2, W10).allowed());
        assertEquals(Decision.denied(5 * S), at(5 * S, 2, W10));
        Decision at55 = at(5_500_000_000L, 2, W10);
        assertEquals(4_500_000_000L, at55.retryAfterNanos());
        assertEquals(5, at55.retryAfterSeconds()); // 4.5 s rounded up
        assertAllowed(at(10 * S, 2, W10), 0, 3_200_000_000L); // 0 left; 3.2 s leaves at 13.2 s
    }

    @Test
    void tryAcquireWhenDeniedThenDenialsDoNotCount() {
        assertTrue(at(0, 1, W10).allowed());
        for (long t = 1; t < 10; t++) {
            assertFalse(at(t * S, 1, W10).allowed());
        }
        assertAllowed(at(W10, 1, W10), 0, W10); // had the denials counted, refused until 19 s
    }

    @Test
    void tryAcquireWhenLimitRaisedThenPastAdmissionsStillCount() {
        assertTrue(at(0, 2, W10).allowed());
        assertTrue(at(1 * S, 2, W10).allowed());
        assertFalse(at(2 * S, 2, W10).allowed());
        assertAllowed(at(2 * S, 4, W10), 1, 8 * S);
        assertAllowed(at(3 * S, 4, W10), 0, 7 * S);
        assertEquals(Decision.denied(6 * S), at(4 * S, 4, W10));
    }

    @Test
    void tryAcquireWhenLimitLoweredBelowPastAdmissionsThenRefusesUntilEnoughAgeOut() {
        for (long t = 0; t < 5; t++) {
            assertTrue(at(t * S, 5, W10).allowed());
        }
        // lowered to 2 with 5 in the window: refused until the 2nd newest (3 s) leaves at 13 s
        assertEquals(Decision.denied(8 * S), at(5 * S, 2, W10));
        assertFalse(at(13 * S - resolution(), 2, W10).allowed());
        assertAllowed(at(13 * S, 2, W10), 0, S); // (3, 13] holds 4 s, which leaves at 14 s
    }

    @Test
    void tryAcquireWhenSameInstantThenStampsAreOneStepApart() {
        long step = resolution();
        assertTrue(at(0, 3, W10).allowed());
        assertTrue(at(0, 3, W10).allowed());
        assertTrue(at(0, 3, W10).allowed());
        assertFalse(at(0, 3, W10).allowed());
        assertTrue(at(W10, 3, W10).allowed()); // the first (stamp 0) left
        assertEquals(Decision.denied(step), at(W10, 3, W10)); // the second was stamped one step later
        assertTrue(at(W10 + step, 3, W10).allowed());
    }

    @Test
    void tryAcquireWhenClockReadingIsOlderThanNewestStampThenStillExact() {
        long step = resolution();
        assertTrue(at(5 * S, 2, W10).allowed());
        assertTrue(at(4 * S, 2, W10).allowed()); // another instance's older reading: stamped 5 s + one step
        assertFalse(at(14 * S, 2, W10).allowed());
        assertTrue(at(15 * S + step, 2, W10).allowed());
    }

    @Test
    void tryAcquireWhenLimitIsTheLargestThenEveryRoundAdmitsExactlyIt() {
        long step = resolution();
        long window = 1_000 * step;
        for (int round = 0; round < 3; round++) {
            long start = round * 10_000 * step;
            for (int k = 0; k < 100; k++) {
                assertAllowed(at(start + k * step, 100, window), 99 - k, null);
            }
            assertFalse(at(start + 100 * step, 100, window).allowed());
        }
    }

    @Test
    void limitsArePerKey() {
        LimiterKey other = new LimiterKey(key.tokenId(), key.definitionId() + "-other");
        assertTrue(at(0, 1, W10).allowed());
        assertFalse(at(0, 1, W10).allowed());
        assertTrue(join(limiter().tryAcquire(other, 1, W10)).allowed());
    }

    /** Random limits, windows and steps, stale readings included, against the rule on a plain list. */
    @Test
    void tryAcquireMatchesReferenceModelOnRandomSchedules() {
        SplittableRandom random = new SplittableRandom(20_261_204);
        long step = resolution();
        List<Long> stamps = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < steps(); i++) {
            int limit = 1 + random.nextInt(100);
            long window = (1 + random.nextInt(random.nextBoolean() ? 50 : 5_000)) * step;
            int kind = random.nextInt(10);
            long reading = t;
            if (kind < 6) {
                t += random.nextInt(40) * step;
                reading = t;
            } else if (kind == 6) {
                reading = t - random.nextInt(30) * step; // an older reading
            }
            Decision expected = reference(stamps, reading, limit, window, step);
            long at = reading;
            assertEquals(expected, at(reading, limit, window), () -> "limit " + limit + " window " + window + " at " + at);
        }
    }

    /** How many random attempts {@link #tryAcquireMatchesReferenceModelOnRandomSchedules} makes. */
    protected int steps() {
        return 20_000;
    }

    /**
     * Many concurrent attempts through several limiters over the same counts (for Redis: several clients) at one
     * instant: exactly {@code limit} are admitted, and each remaining value is given once.
     */
    @Test
    void tryAcquireWhenConcurrentThroughSeveralLimitersThenExactlyLimitAdmitted() throws Exception {
        int limit = 37;
        int attempts = 400;
        origin = now.get();
        List<Limiter> limiters = List.of(limiter(), limiter(), limiter());
        List<CompletableFuture<Decision>> decisions = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<CompletableFuture<Decision>>> submitted = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                Limiter limiter = limiters.get(i % limiters.size());
                submitted.add(CompletableFuture.supplyAsync(
                        () -> limiter.tryAcquire(key, limit, 3_600 * S).toCompletableFuture(), pool));
            }
            for (CompletableFuture<CompletableFuture<Decision>> s : submitted) {
                decisions.add(s.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> remaining = new ArrayList<>();
        int admitted = 0;
        for (CompletableFuture<Decision> d : decisions) {
            Decision decision = d.get(30, TimeUnit.SECONDS);
            if (decision.allowed()) {
                admitted++;
                remaining.add(decision.remaining());
            }
        }
        assertEquals(limit, admitted);
        remaining.sort(null);
        List<Integer> each = new ArrayList<>();
        for (int r = 0; r < limit; r++) {
            each.add(r);
        }
        assertEquals(each, remaining);
    }

    /**
     * The rule of SlidingWindowLimiter on an unbounded list, with stamps {@code step} apart at least: the model
     * every limiter is checked against (also by SlidingWindowLimiterTest, and by ClusterLimitFloodIT, which replays
     * a real server's attempts through it).
     */
    public static Decision reference(List<Long> stamps, long now, int limit, long window, long step) {
        long threshold = now - window;
        int n = stamps.size();
        if (n >= limit && stamps.get(n - limit) > threshold) {
            return Decision.denied(stamps.get(n - limit) - threshold);
        }
        long stamp = n == 0 ? now : Math.max(now, stamps.get(n - 1) + step);
        int counted = 0;
        for (int k = n - 1; k >= 0 && k >= n - (limit - 1) && stamps.get(k) > threshold; k--) {
            counted++;
        }
        long oldestCounted = counted == 0 ? stamp : stamps.get(n - counted);
        stamps.add(stamp);
        return Decision.allowed(limit - counted - 1, oldestCounted - threshold);
    }

    private static void assertAllowed(Decision decision, int remaining, Long resetNanos) {
        assertTrue(decision.allowed(), () -> "expected an admission, got " + decision);
        assertEquals(remaining, decision.remaining(), () -> "remaining of " + decision);
        if (resetNanos != null) {
            assertEquals(resetNanos.longValue(), decision.resetNanos(), () -> "reset of " + decision);
        }
    }
}
