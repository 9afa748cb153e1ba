package io.udapi.script;

import io.udapi.limit.NanoClock;

/**
 * How many stderr lines of one worker process reach the log (docs/workers.md, "Stderr"): a burst of
 * {@value #BURST}, then {@value #PER_SECOND} a second. A worker that writes stderr in a loop would otherwise fill
 * the log's disk and spend udapi's CPU on formatting; the lines beyond the budget are counted, not logged, and
 * the count is logged with the next line that passes and when the stream ends, so the log still says how much
 * was left out. Used by the one thread that reads the process's stderr, so it needs no guard.
 */
final class LogLineBudget {
    static final int BURST = 100;
    static final int PER_SECOND = 10;
    private static final long NANOS_PER_LINE = 1_000_000_000L / PER_SECOND;

    private final NanoClock clock;
    /** The instant at which the budget is full again; the budget left is (full - now) / NANOS_PER_LINE short of BURST. */
    private long full;
    private long dropped;

    LogLineBudget(NanoClock clock) {
        this.clock = clock;
        this.full = clock.nanoTime();
    }

    /** Whether a line may be logged now; a line refused is counted in {@link #takeDropped()}. */
    boolean tryTake() {
        long now = clock.nanoTime();
        if (full - now < 0) {
            full = now; // idle long enough to be full: the burst does not grow beyond BURST
        }
        if (full - now > (BURST - 1) * NANOS_PER_LINE) {
            dropped++;
            return false;
        }
        full += NANOS_PER_LINE;
        return true;
    }

    /** The lines refused since the last call, and forgets them. */
    long takeDropped() {
        long n = dropped;
        dropped = 0;
        return n;
    }
}
