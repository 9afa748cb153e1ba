package io.udapi.bench;

import io.github.bucket4j.Bucket;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.limit.SlidingWindowLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One rate-limit decision, admitted and rejected, on one key, with 1 thread and with 2 threads sharing the key
 * (the contended case: both CAS the same ring). Every variant reads {@code System.nanoTime()} once per call,
 * as production does.
 *
 * <ul>
 *   <li>{@code udapi*}: {@link SlidingWindowLimiter#tryAcquire} (the ring alone);</li>
 *   <li>{@code udapiRegistry*}: {@link RateLimiterRegistry#tryAcquire} as the trigger handler calls it
 *       (new {@link LimiterKey}, map lookup, ring);</li>
 *   <li>{@code bucket4j*}: Bucket4j's local lock-free bucket (a token bucket: not an exact sliding window,
 *       listed as the reference of a well-known lock-free limiter);</li>
 *   <li>{@code syncLog*}: an exact sliding-window log under {@code synchronized} ({@link SyncSlidingLog}).</li>
 * </ul>
 * Admit: limit 100 in a 1 µs window (a token bucket refilling 1 token/ns): a request is refused only if 100
 * were admitted in the last microsecond, which the measured rates stay well below (checked in RESULTS.md).
 * Reject: limit 1 in 1 hour, exhausted in setup, so every call is refused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LimiterBench {

    static final int ADMIT_LIMIT = 100;
    static final long ADMIT_WINDOW = 1_000;
    static final long REJECT_WINDOW = TimeUnit.HOURS.toNanos(1);

    SlidingWindowLimiter udapiAdmit;
    SlidingWindowLimiter udapiReject;
    RateLimiterRegistry<LimiterKey> registry;
    Bucket bucketAdmit;
    Bucket bucketReject;
    SyncSlidingLog logAdmit;
    SyncSlidingLog logReject;
    final String tokenId = "6f1c2a1e-8d7b-4a51-9d0e-3f6a2b9c1d40";
    final String definitionId = "0b9e4c7a-2f13-4e8d-a5b6-7c8d9e0f1a2b";
    final String rejectedDefinitionId = "1c0f5d8b-3a24-4f9e-b6c7-8d9e0f1a2b3c";

    @Setup
    public void setUp() {
        long now = System.nanoTime();
        udapiAdmit = new SlidingWindowLimiter(now);
        udapiReject = new SlidingWindowLimiter(now);
        check(udapiReject.tryAcquire(now, 1, REJECT_WINDOW).allowed());
        registry = new RateLimiterRegistry<>();
        check(registry.tryAcquire(new LimiterKey(tokenId, rejectedDefinitionId), 1, REJECT_WINDOW).allowed());
        bucketAdmit = Bucket.builder()
                .addLimit(limit -> limit.capacity(ADMIT_LIMIT).refillGreedy(ADMIT_LIMIT, Duration.ofNanos(ADMIT_LIMIT)))
                .build();
        bucketReject = Bucket.builder().addLimit(limit -> limit.capacity(1).refillIntervally(1, Duration.ofHours(1))).build();
        check(bucketReject.tryConsume(1));
        logAdmit = new SyncSlidingLog(SlidingWindowLimiter.MAX_LIMIT);
        logReject = new SyncSlidingLog(SlidingWindowLimiter.MAX_LIMIT);
        check(logReject.tryAcquire(now, 1, REJECT_WINDOW));
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup failed");
        }
    }

    // ---- 1 thread

    @Benchmark @Threads(1)
    public Decision udapiAdmit1t() {
        return udapiAdmit.tryAcquire(System.nanoTime(), ADMIT_LIMIT, ADMIT_WINDOW);
    }

    @Benchmark @Threads(1)
    public Decision udapiReject1t() {
        return udapiReject.tryAcquire(System.nanoTime(), 1, REJECT_WINDOW);
    }

    @Benchmark @Threads(1)
    public Decision udapiRegistryAdmit1t() {
        return registry.tryAcquire(new LimiterKey(tokenId, definitionId), ADMIT_LIMIT, ADMIT_WINDOW);
    }

    @Benchmark @Threads(1)
    public Decision udapiRegistryReject1t() {
        return registry.tryAcquire(new LimiterKey(tokenId, rejectedDefinitionId), 1, REJECT_WINDOW);
    }

    @Benchmark @Threads(1)
    public boolean bucket4jAdmit1t() {
        return bucketAdmit.tryConsume(1);
    }

    @Benchmark @Threads(1)
    public boolean bucket4jReject1t() {
        return bucketReject.tryConsume(1);
    }

    @Benchmark @Threads(1)
    public boolean syncLogAdmit1t() {
        return logAdmit.tryAcquire(System.nanoTime(), ADMIT_LIMIT, ADMIT_WINDOW);
    }

    @Benchmark @Threads(1)
    public boolean syncLogReject1t() {
        return logReject.tryAcquire(System.nanoTime(), 1, REJECT_WINDOW);
    }

    // ---- 2 threads on the same key

    @Benchmark @Threads(2)
    public Decision udapiAdmit2t() {
        return udapiAdmit.tryAcquire(System.nanoTime(), ADMIT_LIMIT, ADMIT_WINDOW);
    }

    @Benchmark @Threads(2)
    public Decision udapiReject2t() {
        return udapiReject.tryAcquire(System.nanoTime(), 1, REJECT_WINDOW);
    }

    @Benchmark @Threads(2)
    public boolean bucket4jAdmit2t() {
        return bucketAdmit.tryConsume(1);
    }

    @Benchmark @Threads(2)
    public boolean bucket4jReject2t() {
        return bucketReject.tryConsume(1);
    }

    @Benchmark @Threads(2)
    public boolean syncLogAdmit2t() {
        return logAdmit.tryAcquire(System.nanoTime(), ADMIT_LIMIT, ADMIT_WINDOW);
    }

    @Benchmark @Threads(2)
    public boolean syncLogReject2t() {
        return logReject.tryAcquire(System.nanoTime(), 1, REJECT_WINDOW);
    }
}
