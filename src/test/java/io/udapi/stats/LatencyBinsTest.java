package io.udapi.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The latency histogram of one stats bucket: bin edges, reported bounds and quantiles by rank. */
class LatencyBinsTest {

    @ParameterizedTest(name = "{0} µs -> bin {1}, reported as {2} ms")
    @CsvSource({
            "0, 0, 0.512",
            "511, 0, 0.512",          // just under the first power of two with bins of its own
            "512, 1, 0.768",          // 2^9: lower half of [512, 1024), up to 1.5 · 512
            "767, 1, 0.768",
            "768, 2, 1.024",          // 1.5 · 2^9 starts the upper half
            "1000, 2, 1.024",
            "1024, 3, 1.536",
            "100000, 16, 131.072",    // 100 ms: 2^16 ≤ v, 1.5 · 2^16 = 98,304 ≤ v, so the upper half of 2^16
            "134217727, 36, 134217.728", // the largest value below the overflow bin
            "134217728, 37, 134217.728", // 2^27 µs and beyond: the overflow bin names its lower bound
            "9000000000, 37, 134217.728"})
    void binOfAMicrosecondValueAndItsReportedBound(long micros, int bin, double reportedMs) {
        assertEquals(bin, LatencyBins.of(micros * 1_000));
        assertEquals(reportedMs, LatencyBins.upperBoundMs(bin));
    }

    @Test
    void countCoversTwoBinsPerPowerOfTwoFrom512MicrosecondsTo134SecondsPlusTheTwoEnds() {
        assertEquals(38, LatencyBins.COUNT);
    }

    @Test
    void quantileIsTheBinOfTheSampleOfRankCeilQTimesN() {
        int[] bins = new int[LatencyBins.COUNT];
        bins[LatencyBins.of(1_000_000)] = 98;   // 98 samples of 1 ms
        bins[LatencyBins.of(100_000_000)] = 2;  // 2 of 100 ms
        assertEquals(1.024, LatencyBins.quantile(bins, 0, 100, 0.50)); // rank 50
        assertEquals(131.072, LatencyBins.quantile(bins, 0, 100, 0.99)); // rank 99 is the first 100 ms sample
        bins[LatencyBins.of(1_000_000)] = 99;
        bins[LatencyBins.of(100_000_000)] = 1;
        assertEquals(1.024, LatencyBins.quantile(bins, 0, 100, 0.99)); // rank 99 is still 1 ms
    }

    @Test
    void quantileOfASingleSampleIsItsBinAndOfNoneIsNull() {
        int[] bins = new int[LatencyBins.COUNT];
        bins[3] = 1;
        assertEquals(1.536, LatencyBins.quantile(bins, 0, 1, 0.50));
        assertEquals(1.536, LatencyBins.quantile(bins, 0, 1, 0.99));
        assertNull(LatencyBins.quantile(new int[LatencyBins.COUNT], 0, 0, 0.50));
    }
}
