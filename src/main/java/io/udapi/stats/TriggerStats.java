package io.udapi.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.udapi.config.UdapiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trigger counts of {@code GET /admin/v1/stats} (see the package documentation for threading and bounds):
 * {@link #answered} from the trigger path once per answer, {@link #snapshot} for the management API,
 * {@link #evictOnce} once a minute.
 *
 * <p>Bucket times come from the injected {@link Clock} (the one the rest of udapi stamps with), read once per
 * answer; latencies are measured by the caller on the monotonic clock.
 */
@ApplicationScoped
public class TriggerStats {

    /** What one answer was, for the counts of its bucket. */
    public enum Outcome {
        /** Not counted in any of the four counts (e.g. 400, or an admitted request answered 2xx: see admitted). */
        NONE(-1), RATE_LIMITED(MinuteRing.RATE_LIMITED), REJECTED(MinuteRing.REJECTED), ERROR(MinuteRing.ERRORS);

        final int field;

        Outcome(int field) {
            this.field = field;
        }

        /**
         * docs/api.md, "Trigger statistics": 401, 404, 405, 413, 414 and 415 are rejections, 5xx errors, and the limiter's 429 (errorCode
         * {@code 1014}) a rate limit; by the status of the answer, whether udapi or the script chose it.
         */
        public static Outcome of(int status, boolean rateLimited) {
            if (rateLimited) {
                return RATE_LIMITED;
            }
            return switch (status) {
                case 401, 404, 405, 413, 414, 415 -> REJECTED;
                default -> status >= 500 && status <= 599 ? ERROR : NONE;
            };
        }
    }

    static final long MINUTE_MILLIS = 60_000;

    private final Clock clock;
    private final Tracked definitions;
    private final Tracked tokens;

    @Inject
    TriggerStats(Clock clock, UdapiConfig config, MeterRegistry meters) {
        this(clock, config.stats().maxObjects(), meters.counter("udapi.stats.untracked"));
    }

    TriggerStats(Clock clock, int maxObjects, Counter untracked) {
        if (maxObjects < 1 || maxObjects > 1_000_000) {
            throw new IllegalArgumentException("udapi.stats.max-objects is " + maxObjects
                    + "; it must lie in 1..1,000,000, since it bounds the memory of GET /admin/v1/stats");
        }
        this.clock = clock;
        this.definitions = new Tracked(maxObjects, untracked);
        this.tokens = new Tracked(maxObjects, untracked);
    }

    /**
     * One trigger answer; lock-free, on the event loop.
     *
     * @param definitionId the matched definition, or null when the answer came before the route match
     * @param tokenId      the authenticated token, or null when the answer came before authentication
     * @param admitted     the request passed the rate limit
     * @param latencyNanos arrival to answer; a sample only for an admitted request
     */
    public void answered(String definitionId, String route, String tokenId, String tokenName, boolean admitted,
                         Outcome outcome, long latencyNanos) {
        if (definitionId == null && tokenId == null) {
            return; // the answer names neither: nothing to count it against
        }
        long minute = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        int latencyBin = admitted ? LatencyBins.of(latencyNanos) : -1;
        if (definitionId != null) {
            definitions.record(definitionId, route, minute, admitted, outcome, latencyBin);
        }
        if (tokenId != null) {
            tokens.record(tokenId, tokenName, minute, admitted, outcome, latencyBin);
        }
    }

    /** The last hour as {@code GET /admin/v1/stats} answers it. */
    public StatsView snapshot(String nodeId) {
        long now = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        long from = now - (MinuteRing.SLOTS - 1);
        return new StatsView(nodeId, Instant.ofEpochMilli(from * MINUTE_MILLIS), StatsView.BUCKET,
                definitions.read(from, now, StatsView.DefinitionStats::new, Comparator.comparing(StatsView.DefinitionStats::route)
                        .thenComparing(StatsView.DefinitionStats::id)),
                tokens.read(from, now, StatsView.TokenStats::new, Comparator.comparing(StatsView.TokenStats::name)
                        .thenComparing(StatsView.TokenStats::id)));
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evict() {
        evictOnce();
    }

    /** Drops every object with no answer in the last hour; answers how many. */
    public int evictOnce() {
        long oldestLive = Math.floorDiv(clock.millis(), MINUTE_MILLIS) - (MinuteRing.SLOTS - 1);
        return definitions.evict(oldestLive) + tokens.evict(oldestLive);
    }

    /** How many definitions and tokens are tracked now; never more than twice {@code udapi.stats.max-objects}. */
    public int trackedObjects() {
        return definitions.count.get() + tokens.count.get();
    }

    /**
     * The rings of one kind of object. Invariant: {@link #count} is raised before a ring is put into the map and
     * lowered only after one left it (or was never put), so the map never holds more than {@code max} rings.
     */
    private static final class Tracked {
        /** A ring can be dropped under a writer at most once per hour per object; a second time is a stale reading. */
        private static final int MAX_ATTEMPTS = 2;

        final Map<String, MinuteRing> rings = new ConcurrentHashMap<>();
        final AtomicInteger count = new AtomicInteger();
        private final int max;
        private final Counter untracked;

        Tracked(int max, Counter untracked) {
            this.max = max;
            this.untracked = untracked;
        }

        void record(String id, String label, long minute, boolean admitted, Outcome outcome, int latencyBin) {
            MinuteRing ring = ring(id, label, minute);
            if (ring == null) {
                return;
            }
            if (label != null && label != ring.label) { // a reference check: the same record's string is the common case
                ring.label = label;
            }
            if (admitted) {
                ring.record(minute, MinuteRing.ADMITTED, latencyBin);
                latencyBin = -1;
            }
            if (outcome.field >= 0 || latencyBin >= 0) {
                ring.record(minute, outcome.field, latencyBin);
            }
        }

        private MinuteRing ring(String id, String label, long minute) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                MinuteRing ring = rings.get(id);
                if (ring == null) {
                    if (count.incrementAndGet() > max) {
                        count.decrementAndGet();
                        untracked.increment();
                        return null; // full: counted again once an idle object is dropped
                    }
                    MinuteRing fresh = new MinuteRing(label);
                    ring = rings.putIfAbsent(id, fresh);
                    if (ring == null) {
                        ring = fresh;
                    } else {
                        count.decrementAndGet(); // another writer put one first
                    }
                }
                if (ring.touch(minute)) {
                    return ring;
                }
                // dropped by the evictor between the lookup and now: take it out if it still is in, and start anew
                if (rings.remove(id, ring)) {
                    count.decrementAndGet();
                }
            }
            return null;
        }

        int evict(long oldestLiveMinute) {
            int dropped = 0;
            for (Map.Entry<String, MinuteRing> e : rings.entrySet()) {
                // retire first, then remove: a ring a writer touched since the check is kept (see MinuteRing)
                if (e.getValue().retire(oldestLiveMinute) && rings.remove(e.getKey(), e.getValue())) {
                    count.decrementAndGet();
                    dropped++;
                }
            }
            return dropped;
        }

        <T> List<T> read(long from, long to, Factory<T> factory, Comparator<T> order) {
            List<T> read = new ArrayList<>();
            for (Map.Entry<String, MinuteRing> e : rings.entrySet()) {
                MinuteRing ring = e.getValue();
                if (ring.lastMinute() < from) {
                    continue; // idle for an hour; evictOnce drops it
                }
                List<StatsView.Bucket> buckets = ring.read(from, to).stream().map(c -> new StatsView.Bucket(
                        Instant.ofEpochMilli(c.minute() * MINUTE_MILLIS), c.get(MinuteRing.ADMITTED),
                        c.get(MinuteRing.RATE_LIMITED), c.get(MinuteRing.REJECTED), c.get(MinuteRing.ERRORS),
                        c.quantileMs(0.50), c.quantileMs(0.99))).toList();
                if (!buckets.isEmpty()) {
                    String label = ring.label;
                    read.add(factory.create(e.getKey(), label == null ? "" : label, buckets));
                }
            }
            read.sort(order);
            return read;
        }
    }

    @FunctionalInterface
    private interface Factory<T> {
        T create(String id, String label, List<StatsView.Bucket> buckets);
    }
}
