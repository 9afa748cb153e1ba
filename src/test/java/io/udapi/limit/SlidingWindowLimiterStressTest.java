package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Soak test of the one invariant that matters: for every key, no half-open interval of length
 * {@code window} contains more than {@code limit} admissions, under any concurrency.
 *
 * <p>8 threads share one controllable clock (an {@link AtomicLong} each thread advances by 0..3 ns
 * per attempt, so readings collide, and a preempted thread brings an older reading). They hit 64
 * keys with random limits (1..100) and windows (20 ns .. 20 µs of the fake clock), three quarters of
 * the traffic on 4 hot keys, and run {@link RateLimiterRegistry#evictOnce} every 4096 attempts so
 * that limiters are retired and recreated while in use. Every admission is recorded with the clock
 * reading it was made with; afterwards, per key, sorted readings must satisfy
 * {@code t[j + limit] - t[j] >= window} (equivalent to the invariant).
 */
class SlidingWindowLimiterStressTest {

    private static final int THREADS = 8;
    private static final int KEYS = 64;
    private static final int HOT_KEYS = 4;
    private static final long ATTEMPTS = 10_000_000L;
    private static final int EVICT_EVERY = 4096;

    @Test
    void shouldNeverAdmitMoreThanLimitInAnyWindowUnderConcurrency() throws Exception {
        SplittableRandom setup = new SplittableRandom(0x5EED_2026L);
        int[] limits = new int[KEYS];
        long[] windows = new long[KEYS];
        for (int k = 0; k < KEYS; k++) {
            limits[k] = 1 + setup.nextInt(100);
            windows[k] = 20 + setup.nextInt(setup.nextBoolean() ? 500 : 20_000);
        }
        AtomicLong clock = new AtomicLong(1L << 40); // the fake clock; readings stay below 2^56
        RateLimiterRegistry<Integer> registry = new RateLimiterRegistry<>(clock::get);
        LongAdder failClosed = new LongAdder();
        LongAdder evicted = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long began;
        long[][] perThread = new long[THREADS][];
        try {
            @SuppressWarnings("unchecked")
            Future<long[]>[] futures = new Future[THREADS];
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = setup.split();
                futures[t] = pool.submit(() -> {
                    // Each admission as (key << 56 | reading): sorting groups by key, then time.
                    long[] admitted = new long[1 << 16];
                    int n = 0;
                    start.await();
                    for (long a = 0; a < ATTEMPTS / THREADS; a++) {
                        int key = random.nextInt(4) != 0 ? random.nextInt(HOT_KEYS) : random.nextInt(KEYS);
                        int step = random.nextInt(4);
                        long now = step == 0 ? clock.get() : clock.addAndGet(step);
                        Decision d = registry.tryAcquire(key, now, limits[key], windows[key]);
                        if (d.allowed()) {
                            if (n == admitted.length) {
                                admitted = Arrays.copyOf(admitted, n * 2);
                            }
                            admitted[n++] = ((long) key << 56) | now;
                        } else if (d.isFailClosed()) {
                            failClosed.increment();
                        }
                        if (a % EVICT_EVERY == EVICT_EVERY - 1) {
                            evicted.add(registry.evictOnce(clock.get()));
                        }
                    }
                    return Arrays.copyOf(admitted, n);
                });
            }
            began = System.nanoTime();
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                perThread[t] = futures[t].get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        long[] all = Arrays.stream(perThread).flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        int[] admittedPerKey = new int[KEYS];
        int from = 0;
        while (from < all.length) {
            int key = (int) (all[from] >>> 56);
            int to = from;
            while (to < all.length && (int) (all[to] >>> 56) == key) {
                to++;
            }
            admittedPerKey[key] = to - from;
            int limit = limits[key];
            for (int j = from; j + limit < to; j++) {
                long first = all[j] & ((1L << 56) - 1);
                long past = all[j + limit] & ((1L << 56) - 1);
                if (past - first < windows[key]) {
                    fail("key " + key + " (limit " + limit + ", window " + windows[key] + " ns): "
                            + (limit + 1) + " admissions within " + (past - first) + " ns, from "
                            + first + " to " + past);
                }
            }
            from = to;
        }
        System.out.printf("limiter stress: %,d attempts on %d threads in %,d ms, %,d admitted, "
                        + "%,d fail-closed, %,d evictions, clock advanced %,d ns%n",
                ATTEMPTS, THREADS, elapsedMs, all.length, failClosed.sum(), evicted.sum(),
                clock.get() - (1L << 40));
        for (int k = 0; k < HOT_KEYS; k++) {
            assertTrue(admittedPerKey[k] > 0, "hot key " + k + " admitted nothing");
        }
        // Failing closed is allowed but must stay rare, or the limiter would be useless.
        assertTrue(failClosed.sum() < ATTEMPTS / 1000, "fail-closed " + failClosed.sum());
        assertTrue(evicted.sum() > 0, "eviction never ran concurrently");
        assertEquals(all.length, Arrays.stream(admittedPerKey).sum());
    }
}
