package io.udapi.limit;

/**
 * The outcome of one rate-limit attempt. A denial is a value, never an exception.
 *
 * <p>All durations are nanoseconds on the caller's monotonic clock, measured from the {@code now}
 * the attempt was made with. {@link #ceilSeconds(long)} and {@link #retryAfterSeconds()} turn them
 * into the whole seconds of the HTTP headers (docs/concepts.md, "Rate limits").
 *
 * @param allowed whether the request was admitted (and now counts toward the limit)
 * @param remaining admissions still possible right now after this decision, 0..limit-1 when
 *     allowed, 0 when denied
 * @param retryAfterNanos 0 when allowed; for a denial the time until enough admissions have left
 *     the window for a request to be admitted again (with an unchanged limit this is when the oldest
 *     admission in the window leaves it). 0 only for a {@linkplain #failClosed() fail-closed} denial
 * @param resetNanos time until {@code remaining} grows by one, i.e. until the oldest admission that
 *     still counts leaves the window (the {@code t=} of the {@code RateLimit} header); equals
 *     {@code retryAfterNanos} for a denial
 */
public record Decision(boolean allowed, int remaining, long retryAfterNanos, long resetNanos) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Shared value of every fail-closed denial; see {@link #failClosed()}. */
    private static final Decision FAIL_CLOSED = new Decision(false, 0, 0, 0);

    public Decision {
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining " + remaining + " must be >= 0");
        }
        if (retryAfterNanos < 0 || resetNanos < 0) {
            throw new IllegalArgumentException("durations must be >= 0: retryAfterNanos "
                    + retryAfterNanos + ", resetNanos " + resetNanos);
        }
        if (allowed && retryAfterNanos != 0) {
            throw new IllegalArgumentException("an admission has no retry-after: " + retryAfterNanos);
        }
        if (!allowed && remaining != 0) {
            throw new IllegalArgumentException("a denial leaves nothing remaining: " + remaining);
        }
    }

    /** An admission leaving {@code remaining} more, with the next slot freeing in {@code resetNanos}. */
    public static Decision allowed(int remaining, long resetNanos) {
        return new Decision(true, remaining, 0, resetNanos);
    }

    /** A denial: a request may succeed again in {@code retryAfterNanos} (at least 1 ns). */
    public static Decision denied(long retryAfterNanos) {
        if (retryAfterNanos <= 0) {
            throw new IllegalArgumentException("retryAfterNanos " + retryAfterNanos
                    + " must be > 0; use failClosed() for a denial without a known time");
        }
        return new Decision(false, 0, retryAfterNanos, retryAfterNanos);
    }

    /**
     * The denial given when the limiter could not decide within its retry bound (extreme
     * contention on one key) or its state was being replaced: the limiter fails closed. Its
     * durations are 0, so {@link #retryAfterSeconds()} answers the minimum, 1.
     */
    public static Decision failClosed() {
        return FAIL_CLOSED;
    }

    /** Whether this is the {@linkplain #failClosed() fail-closed} denial rather than a counted one. */
    public boolean isFailClosed() {
        return !allowed && retryAfterNanos == 0;
    }

    /** {@code Retry-After} in whole seconds: {@link #retryAfterNanos()} rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfterNanos));
    }

    /** The {@code t=} of the {@code RateLimit} header: {@link #resetNanos()} rounded up to seconds. */
    public long resetSeconds() {
        return ceilSeconds(resetNanos);
    }

    /** Whole seconds, rounded up: 0 → 0, 1 ns → 1, 1 s → 1, 1 s + 1 ns → 2. Negative counts as 0. */
    public static long ceilSeconds(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        // No overflow: nanos / 1e9 is far below Long.MAX_VALUE - 1.
        return nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
    }
}
