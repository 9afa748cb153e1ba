package io.udapi.limit;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * All limiters of this instance, one {@link SlidingWindowLimiter} per key (normally a
 * {@link LimiterKey}), created on first use and evicted once idle (docs/concepts.md, "Rate limits": "idle state is evicted
 * after its window").
 *
 * <p><b>Eviction without losing admissions.</b> {@link #evictOnce} first <em>retires</em> an idle
 * limiter (one CAS in its ring, made only if its newest admission is at least its window old at
 * that instant) and only then removes it with {@code map.remove(key, limiter)}, so a live limiter,
 * or a newer limiter already put under the same key, is never dropped. The remaining race is a
 * request that fetched the limiter from the map just before it was retired: its attempt finds the
 * ring retired (no admission is ever recorded in a retired ring), removes it too if it is still
 * mapped, and retries on a fresh limiter. That is harmless because a retired limiter counted
 * nothing any more: an empty limiter decides exactly as it would have.
 *
 * <p><b>Threading.</b> Every method may be called from any thread concurrently (Vert.x event
 * loops for {@link #tryAcquire}, a scheduler for {@link #evictOnce}). The map is a
 * {@link ConcurrentHashMap}: lookups are lock-free; only inserting a new key takes the map's
 * internal per-bin lock, briefly, once per key.
 *
 * @param <K> key type, with proper {@code equals}/{@code hashCode}
 */
public final class RateLimiterRegistry<K> {

    /**
     * How often one attempt may land on a limiter that was retired under it before failing
     * closed. Each hop means an evictor or {@link #forget} retired the limiter concurrently; two in
     * a row already need a full eviction cycle in between.
     */
    static final int MAX_RETIRED_HOPS = 8;

    private final ConcurrentHashMap<K, SlidingWindowLimiter> limiters = new ConcurrentHashMap<>();
    private final NanoClock clock;

    /** A registry reading {@code clock} once per attempt in {@link #tryAcquire(Object, int, long)}. */
    public RateLimiterRegistry(NanoClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A registry on {@link NanoClock#SYSTEM}. */
    public RateLimiterRegistry() {
        this(NanoClock.SYSTEM);
    }

    /** {@link #tryAcquire(Object, long, int, long)} at the clock's current reading (read once). */
    public Decision tryAcquire(K key, int limit, long windowNanos) {
        return tryAcquire(key, clock.nanoTime(), limit, windowNanos);
    }

    /**
     * Admits or denies one request of {@code key} at {@code nowNanos}; see
     * {@link SlidingWindowLimiter#tryAcquire}. Never throws for a denial.
     *
     * @param limit 1..100, as currently configured for the key (may differ from earlier calls)
     * @param windowNanos > 0, as currently configured for the key
     */
    public Decision tryAcquire(K key, long nowNanos, int limit, long windowNanos) {
        Objects.requireNonNull(key, "key");
        for (int hop = 0; hop < MAX_RETIRED_HOPS; hop++) {
            SlidingWindowLimiter limiter = limiters.get(key);
            if (limiter == null) {
                SlidingWindowLimiter fresh = new SlidingWindowLimiter(nowNanos);
                SlidingWindowLimiter raced = limiters.putIfAbsent(key, fresh);
                limiter = raced != null ? raced : fresh;
            }
            Decision decision = limiter.acquireUnlessRetired(nowNanos, limit, windowNanos);
            if (decision != null) {
                return decision; // exit: decided by a live limiter
            }
            // Retired under us: help remove it (only if still mapped) and retry on a fresh one.
            limiters.remove(key, limiter);
        }
        // exit: FAIL CLOSED, the key's limiter kept being retired under us.
        return Decision.failClosed();
    }

    /** {@link #evictOnce(long)} at the clock's current reading. */
    public int evictOnce() {
        return evictOnce(clock.nanoTime());
    }

    /**
     * Retires and removes every limiter whose newest admission is at least its (largest) window
     * old at {@code nowNanos}. Meant for a periodic {@code @Scheduled} job; weakly consistent with
     * concurrent use (a limiter created during the sweep may or may not be looked at).
     *
     * @return how many limiters this call removed
     */
    public int evictOnce(long nowNanos) {
        int removed = 0;
        for (Map.Entry<K, SlidingWindowLimiter> entry : limiters.entrySet()) {
            SlidingWindowLimiter limiter = entry.getValue();
            // Retire first, remove second: once retired, the limiter can no longer take admissions,
            // so removing it loses none. remove(key, value) never drops a replacement.
            if (limiter.retireIfIdle(nowNanos) && limiters.remove(entry.getKey(), limiter)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Drops the state of every key matching {@code which}, whatever it counts (e.g. the token was
     * deleted). A request racing with this starts over on an empty limiter.
     *
     * @return how many limiters this call removed
     */
    public int forget(Predicate<? super K> which) {
        int removed = 0;
        for (Map.Entry<K, SlidingWindowLimiter> entry : limiters.entrySet()) {
            if (which.test(entry.getKey())) {
                SlidingWindowLimiter limiter = entry.getValue();
                limiter.retire();
                if (limiters.remove(entry.getKey(), limiter)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Number of limiters currently held (for the metrics and tests). */
    public int size() {
        return limiters.size();
    }

    /** The limiter currently mapped for {@code key}, or null (test support). */
    SlidingWindowLimiter limiterOf(K key) {
        return limiters.get(key);
    }
}
