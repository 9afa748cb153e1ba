package io.udapi.stats;

import io.udapi.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.udapi.stats.TriggerStats.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stats component in virtual time: buckets per minute, the hour's window, eviction and the object cap. */
class TriggerStatsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final long MS = 1_000_000;


    private final ManualClock clock = new ManualClock(T0);
    private final Counter untracked = new SimpleMeterRegistry().counter("udapi.stats.untracked");
    private final TriggerStats stats = new TriggerStats(clock, 100, untracked);

    /** A bucket's counts without the latencies, which the tests compare as values. */
    record Counts(Instant at, int admitted, int rateLimited, int rejected, int errors) {
        static Counts of(StatsView.Bucket b) {
            return new Counts(b.at(), b.admitted(), b.rateLimited(), b.rejected(), b.errors());
        }
    }

    private void admitted(String definition, String token, long latencyNanos) {
        stats.answered(definition, "route/" + definition, token, "name-" + token, true, Outcome.NONE, latencyNanos);
    }

    private List<Counts> tokenBuckets(String token) {
        return stats.snapshot("n").tokens().stream().filter(t -> t.id().equals(token)).findFirst()
                .map(t -> t.buckets().stream().map(Counts::of).toList()).orElse(List.of());
    }

    @Test
    void answersInThreeMinutesThenThreeBucketsOldestFirstEachAtItsMinuteStart() {
        clock.set(T0.plusSeconds(30));
        admitted("d", "t", MS);
        clock.advance(Duration.ofMinutes(1));
        admitted("d", "t", MS);
        admitted("d", "t", MS);
        clock.advance(Duration.ofMinutes(2));
        stats.answered("d", "route/d", "t", "name-t", false, Outcome.RATE_LIMITED, MS);

        assertEquals(List.of(new Counts(T0, 1, 0, 0, 0), new Counts(T0.plusSeconds(60), 2, 0, 0, 0),
                new Counts(T0.plusSeconds(180), 0, 1, 0, 0)), tokenBuckets("t"));
        StatsView view = stats.snapshot("n");
        assertEquals(T0.plusSeconds(180).minus(Duration.ofMinutes(59)), view.from());
        assertEquals("PT1M", view.bucket());
        assertEquals("route/d", view.definitions().get(0).route());
        assertEquals("name-t", view.tokens().get(0).name());
    }

    @Test
    void admittedRequestAnsweredWith415Or500ThenCountedAsAdmittedAndAsRejectedOrError() {
        stats.answered("d", "r", "t", "n", true, Outcome.of(415, false), MS);
        stats.answered("d", "r", "t", "n", true, Outcome.of(500, false), MS);
        assertEquals(List.of(new Counts(T0, 2, 0, 1, 1)), tokenBuckets("t"));
    }

    @Test
    void latencyWhenOnlyRefusedAnswersThenNullQuantilesAndWhenAdmittedThenTheirBins() {
        stats.answered(null, null, "refused", "n", false, Outcome.REJECTED, 5 * MS);
        StatsView.Bucket refused = stats.snapshot("n").tokens().get(0).buckets().get(0);
        assertNull(refused.p50Ms());
        assertNull(refused.p99Ms());

        for (int i = 0; i < 98; i++) {
            admitted("d", "t", MS);
        }
        admitted("d", "t", 100 * MS);
        admitted("d", "t", 100 * MS);
        StatsView.Bucket bucket = stats.snapshot("n").definitions().get(0).buckets().get(0);
        assertEquals(1.024, bucket.p50Ms());
        assertEquals(131.072, bucket.p99Ms());
    }

    @Test
    void answerNamingNeitherDefinitionNorTokenThenNotCounted() {
        stats.answered(null, null, null, null, false, Outcome.REJECTED, MS); // e.g. a 405 at the method check
        assertEquals(0, stats.trackedObjects());
        assertEquals(List.of(), stats.snapshot("n").definitions());
        assertEquals(List.of(), stats.snapshot("n").tokens());
    }

    @Test
    void answersEveryMinuteForTwoHoursThenAtMost60BucketsTheLastHour() {
        for (int minute = 0; minute < 120; minute++) {
            admitted("d", "t", MS);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.set(clock.instant().minusSeconds(1)); // still in minute 119
        List<Counts> buckets = tokenBuckets("t");
        assertEquals(60, buckets.size());
        assertEquals(T0.plus(Duration.ofMinutes(60)), buckets.get(0).at());
        assertEquals(T0.plus(Duration.ofMinutes(119)), buckets.get(59).at());
    }

    @Test
    void objectIdleForMoreThanAnHourThenLeftOutAndDroppedByEviction() {
        admitted("d", "t", MS);
        clock.advance(Duration.ofMinutes(59));
        assertEquals(1, tokenBuckets("t").size()); // minute 0 is the oldest of the hour ending in minute 59
        assertEquals(0, stats.evictOnce());

        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of(), tokenBuckets("t"));
        assertEquals(2, stats.evictOnce()); // the definition and the token
        assertEquals(0, stats.trackedObjects());

        admitted("d", "t", MS); // used again: counted anew
        assertEquals(List.of(new Counts(T0.plus(Duration.ofMinutes(60)), 1, 0, 0, 0)), tokenBuckets("t"));
    }

    @Test
    void manyTokensAndDefinitionsThenTrackedObjectsCappedPerKindAndTheRestCountedAsUntracked() {
        for (int i = 0; i < 1_000; i++) {
            admitted("d" + i, "t" + i, MS);
        }
        assertEquals(200, stats.trackedObjects()); // 100 definitions + 100 tokens
        assertEquals(100, stats.snapshot("n").tokens().size());
        assertEquals(100, stats.snapshot("n").definitions().size());
        assertEquals(1_800.0, untracked.count());

        clock.advance(Duration.ofMinutes(61));
        assertEquals(200, stats.evictOnce());
        admitted("new-d", "new-t", MS); // room again once the idle ones are gone
        assertEquals(2, stats.trackedObjects());
    }

    @Test
    void maxObjectsOutside1To1000000ThenRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new TriggerStats(clock, 0, untracked));
        assertThrows(IllegalArgumentException.class, () -> new TriggerStats(clock, 1_000_001, untracked));
    }

    @Test
    void renamedTokenThenShownWithItsLatestName() {
        stats.answered(null, null, "t", "old", true, Outcome.NONE, MS);
        stats.answered(null, null, "t", "new", true, Outcome.NONE, MS);
        assertEquals("new", stats.snapshot("n").tokens().get(0).name());
    }

    @Test
    void ringRetiredByEvictionThenAWriterHoldingItIsRefusedAndStartsANewOne() {
        MinuteRing ring = new MinuteRing("x");
        assertEquals(true, ring.touch(0));
        assertEquals(true, ring.retire(60)); // nothing since minute 0, cut-off minute 60
        assertEquals(false, ring.touch(61)); // so its count is not lost in a ring no longer in the map
    }

    @Test
    void ringTouchedAfterTheCutOffThenNotRetired() {
        MinuteRing ring = new MinuteRing("x");
        ring.touch(0);
        ring.touch(60); // a writer got there between the evictor's look and its compare-and-set
        assertEquals(false, ring.retire(60));
        assertEquals(true, ring.touch(60));
    }

    @ParameterizedTest(name = "status {0}, limiter {1} -> {2}")
    @CsvSource({"200, false, NONE", "400, false, NONE", "401, false, REJECTED", "403, false, NONE",
            "404, false, REJECTED", "405, false, REJECTED", "413, false, REJECTED", "414, false, REJECTED",
            "415, false, REJECTED", "429, true, RATE_LIMITED", "429, false, NONE", "500, false, ERROR",
            "503, false, ERROR", "599, false, ERROR"})
    void outcomeOfAnAnswer(int status, boolean rateLimited, Outcome expected) {
        // a 429 a script answers itself is not the rate limit's; 403 is not in the list of docs/api.md, "Trigger statistics"
        assertEquals(expected, Outcome.of(status, rateLimited));
    }
}
