package io.udapi.limit;

/**
 * A monotonic time source in nanoseconds. Only differences between two readings mean anything, as
 * with {@link System#nanoTime()}; readings are never compared with wall-clock time.
 *
 * <p>The limiter never reads a clock itself: the caller reads it once per attempt and passes the
 * value in, so the compare-and-set loop sees one consistent "now" however often it retries.
 */
@FunctionalInterface
public interface NanoClock {

    /** The system's monotonic clock, {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    /** The current reading, in nanoseconds from an arbitrary origin. */
    long nanoTime();
}
