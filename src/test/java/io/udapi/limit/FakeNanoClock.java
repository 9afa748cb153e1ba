package io.udapi.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that moves only when told to; thread-safe. Starts at an arbitrary origin. */
final class FakeNanoClock implements NanoClock {

    private final AtomicLong now;

    FakeNanoClock(long start) {
        this.now = new AtomicLong(start);
    }

    FakeNanoClock() {
        // A large, odd origin: nothing may depend on the clock starting at 0.
        this(7_654_321_987_654_321L);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves the clock forward by {@code nanos} and returns the new reading. */
    long advance(long nanos) {
        return now.addAndGet(nanos);
    }

    long advance(Duration duration) {
        return advance(duration.toNanos());
    }
}
