package io.udapi.bench;

/**
 * Baseline of the limiter benchmarks: the textbook exact sliding-window log under a monitor. A ring of the
 * newest {@code capacity} admission times; a request is admitted iff fewer than {@code limit} of them lie in
 * {@code (now - window, now]}, the same rule as {@code SlidingWindowLimiter}.
 */
final class SyncSlidingLog {

    private final long[] ring;
    /** Slot of the next admission. */
    private int head;
    private int count;

    SyncSlidingLog(int capacity) {
        ring = new long[capacity];
    }

    synchronized boolean tryAcquire(long now, int limit, long window) {
        if (count >= limit) {
            int limitThNewest = head - limit;
            if (limitThNewest < 0) {
                limitThNewest += ring.length;
            }
            if (now - ring[limitThNewest] < window) {
                return false;
            }
        }
        ring[head] = now;
        head = head + 1 == ring.length ? 0 : head + 1;
        if (count < ring.length) {
            count++;
        }
        return true;
    }
}
