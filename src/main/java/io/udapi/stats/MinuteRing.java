package io.udapi.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last hour of one definition or one token in one-minute buckets.
 *
 * <p>Invariant: slot {@code minute mod 60} holds the bucket of that minute (minutes since the epoch of the
 * injected clock) or an older one, which a writer of the newer minute replaces with one compare-and-set; so the
 * ring never holds more than {@link #SLOTS} buckets, and a bucket older than an hour is never shown (its minute
 * says so). A bucket is a fixed array of counters, {@link #FIELDS} counts and then the {@link LatencyBins}, each
 * raised with one atomic increment; readers may see a bucket of the current minute between two increments of one
 * answer, never a torn counter.
 *
 * <p>{@link #lastMinute} is the newest minute recorded, or {@link #EVICTED} once the ring has been dropped:
 * {@link #touch} raises it (a writer that finds it evicted records into a new ring instead), {@link #retire} sets
 * it only if it is still older than the cut-off, so a ring that a writer touched in the meantime is never dropped.
 */
final class MinuteRing {

    static final int SLOTS = 60;
    static final int ADMITTED = 0;
    static final int RATE_LIMITED = 1;
    static final int REJECTED = 2;
    static final int ERRORS = 3;
    static final int FIELDS = 4;
    static final long EVICTED = Long.MIN_VALUE;
    /** Installing a bucket loses a compare-and-set only to another writer of the same slot; more is a stale reading. */
    private static final int MAX_INSTALL_ATTEMPTS = 4;

    record Bucket(long minute, AtomicIntegerArray counts) {
        Bucket(long minute) {
            this(minute, new AtomicIntegerArray(FIELDS + LatencyBins.COUNT));
        }
    }

    /** One bucket as read: its minute and a copy of its counters. */
    record Counts(long minute, int[] counts) {
        int get(int field) {
            return counts[field];
        }

        long latencySamples() {
            long n = 0;
            for (int bin = 0; bin < LatencyBins.COUNT; bin++) {
                n += counts[FIELDS + bin];
            }
            return n;
        }

        Double quantileMs(double q) {
            return LatencyBins.quantile(counts, FIELDS, latencySamples(), q);
        }
    }

    private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicLong lastMinute = new AtomicLong(Long.MIN_VALUE + 1);
    /** The definition's route or the token's name as of its latest answer (the object may be renamed). */
    volatile String label;

    MinuteRing(String label) {
        this.label = label;
    }

    /** Marks the ring used in {@code minute}; false if it was dropped meanwhile (the caller then uses a new one). */
    boolean touch(long minute) {
        while (true) {
            long last = lastMinute.get();
            if (last == EVICTED) {
                return false;
            }
            if (last >= minute || lastMinute.compareAndSet(last, minute)) {
                return true;
            }
            // another writer raised it first: it only grows, so this loop ends once it is at least minute
        }
    }

    /** Drops the ring if nothing was recorded since before {@code oldestLiveMinute}; true if it was dropped. */
    boolean retire(long oldestLiveMinute) {
        long last = lastMinute.get();
        return last != EVICTED && last < oldestLiveMinute && lastMinute.compareAndSet(last, EVICTED);
    }

    long lastMinute() {
        return lastMinute.get();
    }

    /**
     * Counts one answer in {@code minute}'s bucket: {@code field} (or none when negative) and, when
     * {@code latencyBin} is not negative, one latency sample.
     */
    void record(long minute, int field, int latencyBin) {
        Bucket bucket = bucket(minute);
        if (bucket == null) {
            return; // an hour-old reading racing a newer one; dropped, see the package error policy
        }
        if (field >= 0) {
            bucket.counts().incrementAndGet(field);
        }
        if (latencyBin >= 0) {
            bucket.counts().incrementAndGet(FIELDS + latencyBin);
        }
    }

    private Bucket bucket(long minute) {
        int slot = (int) Math.floorMod(minute, (long) SLOTS);
        for (int attempt = 0; attempt < MAX_INSTALL_ATTEMPTS; attempt++) {
            Bucket current = slots.get(slot);
            if (current != null && current.minute() == minute) {
                return current; // the common case: no write but the counters
            }
            if (current != null && current.minute() > minute) {
                return null; // the slot already belongs to a later minute: this reading is an hour late
            }
            Bucket fresh = new Bucket(minute);
            if (slots.compareAndSet(slot, current, fresh)) {
                return fresh;
            }
            // another writer installed a bucket in this slot first: look at it again
        }
        return null;
    }

    /** The buckets of minutes {@code from .. to}, oldest first, without the empty ones. */
    List<Counts> read(long from, long to) {
        List<Counts> read = new ArrayList<>();
        for (long minute = from; minute <= to; minute++) {
            Bucket bucket = slots.get((int) Math.floorMod(minute, (long) SLOTS));
            if (bucket == null || bucket.minute() != minute) {
                continue;
            }
            int[] counts = new int[FIELDS + LatencyBins.COUNT];
            boolean any = false;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = bucket.counts().get(i);
                any |= counts[i] != 0;
            }
            if (any) {
                read.add(new Counts(minute, counts));
            }
        }
        return read;
    }
}
