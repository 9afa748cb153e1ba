package io.udapi.stats;

/**
 * A fixed log-scaled latency histogram of {@link #COUNT} bins, two per power of two, for quantiles of one
 * bucket without keeping samples. In microseconds: bin 0 holds everything under 512 µs; from 512 µs on, each
 * power of two {@code [2^e, 2^(e+1))} is split at {@code 1.5 · 2^e}; the last bin holds everything from
 * {@code 2^27} µs (134 s, beyond any script timeout of note) on. A quantile is reported as the upper bound of its
 * bin, so it over-states the true value by at most 50 % (33 % in the upper half of each power of two).
 */
final class LatencyBins {

    /** The lowest power of two with bins of its own: 2^9 µs = 0.512 ms. */
    private static final int FIRST_EXPONENT = 9;
    /** The first power of two that lands in the overflow bin: 2^27 µs ≈ 134 s. */
    private static final int OVERFLOW_EXPONENT = 27;
    static final int COUNT = 2 + 2 * (OVERFLOW_EXPONENT - FIRST_EXPONENT);

    private LatencyBins() {
    }

    /** The bin of a duration; negative durations (none expected from a monotonic clock) count as 0. */
    static int of(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        if (micros < (1L << FIRST_EXPONENT)) {
            return 0;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent >= OVERFLOW_EXPONENT) {
            return COUNT - 1;
        }
        int upperHalf = (int) ((micros >>> (exponent - 1)) & 1); // the bit below the leading one: ≥ 1.5 · 2^e
        return 1 + 2 * (exponent - FIRST_EXPONENT) + upperHalf;
    }

    /** The bin's upper bound in milliseconds (the overflow bin: its lower bound, the largest value it can name). */
    static double upperBoundMs(int bin) {
        if (bin == 0) {
            return (1L << FIRST_EXPONENT) / 1000.0;
        }
        if (bin == COUNT - 1) {
            return (1L << OVERFLOW_EXPONENT) / 1000.0;
        }
        int exponent = FIRST_EXPONENT + (bin - 1) / 2;
        long upper = (bin - 1) % 2 == 0 ? (3L << (exponent - 1)) : (1L << (exponent + 1));
        return upper / 1000.0;
    }

    /**
     * The {@code q} quantile (0 < q ≤ 1) of {@code count} samples in {@code bins[offset .. offset + COUNT)}: the
     * upper bound of the bin holding the sample of rank {@code ceil(q · count)}; null when there are none.
     */
    static Double quantile(int[] bins, int offset, long count, double q) {
        if (count <= 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int bin = 0; bin < COUNT; bin++) {
            seen += bins[offset + bin];
            if (seen >= rank) {
                return upperBoundMs(bin);
            }
        }
        return upperBoundMs(COUNT - 1); // counts read while a writer was between its two increments
    }
}
