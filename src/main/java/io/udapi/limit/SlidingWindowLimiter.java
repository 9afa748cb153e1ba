package io.udapi.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rate-limit state of one (token, definition) pair: an exact sliding window over a lock-free
 * ring of the most recent admission timestamps (docs/concepts.md, "Rate limits").
 *
 * <p><b>Rule.</b> A request at {@code now} is admitted iff fewer than {@code limit} admissions lie in
 * the half-open window {@code (now - window, now]}; equivalently iff the {@code limit}-th newest
 * admission is at least {@code window} old. An admission exactly {@code window} ago no longer
 * counts: with a window of 10 s, a request 10 s − 1 ns after the oldest admission is refused and
 * one exactly 10 s after it is admitted. Consequently no half-open interval of length
 * {@code window} ever holds more than {@code limit} admissions, whatever the concurrency.
 *
 * <p>Limit and window are passed on every call, since an operator may change them at any time. The
 * ring always keeps the newest {@link #MAX_LIMIT} admissions, so a changed limit applies to the
 * next request and the admissions already counted stay: a lowered limit refuses requests until
 * enough of them age out; a raised one counts them too.
 *
 * <p><b>Threading.</b> Any number of threads may call {@link #tryAcquire} concurrently. Nothing
 * blocks or locks: one compare-and-set per admission, bounded retries, and on exhausting them the
 * attempt fails closed (denied). A denial writes nothing.
 *
 * <p>Pure Java, no framework; about 900 bytes per instance (the 800-byte ring plus headers).
 */
public final class SlidingWindowLimiter {

    /** The largest limit a definition may have (docs/concepts.md, "Rate limits": 1..100); the ring's capacity. */
    public static final int MAX_LIMIT = 100;

    /**
     * Upper bound on loop iterations of one attempt (steps to find the head plus lost races). At
     * most {@code capacity - 1} steps are ever needed to find the head, so the rest is the budget for
     * lost compare-and-sets; each lost race means another thread made progress on this key.
     */
    static final int MAX_ATTEMPTS = 256;

    /* ---------------------------------------------------------------------------------------------
     * THE RING: INVARIANT AND PROTOCOL
     *
     * Slot contents. ring[j] holds one "stamp": the (origin-relative) timestamp of an admission,
     * in nanoseconds, or a sentinel. Admission number p (0, 1, 2, ... in the order they happened)
     * lives in slot p % capacity until admission p + capacity overwrites it, so the ring always
     * holds the newest `capacity` admissions. Sentinels: EMPTY_j = Long.MIN_VALUE + j is slot j's
     * value before any admission (older than any window); DEAD = Long.MAX_VALUE marks a retired
     * limiter (written like an admission, see below).
     *
     * Invariant (I): read cyclically starting at the head slot h (the slot the next admission
     * goes to), the stamps are STRICTLY increasing: ring[h] < ring[h+1] < ... < ring[h-1].
     * So ring[h] is the oldest stamp, ring[h-1] the newest, and ring[h-k] is the k-th newest.
     * It holds initially (EMPTY_0 < EMPTY_1 < ... with h = 0) and every write keeps it, because the
     * only write is "ring[h] := a stamp greater than ring[h-1]", which turns the oldest into the
     * newest and moves h to h+1. Stamps are made strictly increasing by recording
     * stamp = max(now, newest + 1); recording a stamp later than `now` is conservative (the check
     * was made with the earlier `now`), it can only shorten the next window, and it is at most
     * limit - 1 < 100 ns late, since more than `limit` admissions within 100 ns cannot pass the check
     * for any window of 100 ns or more.
     *
     * Why this is exact. Admission p is made only if s[p-limit] <= now_p - window, where s are
     * stamps and now_p <= s[p]. Suppose some interval (a, a + window] held limit + 1 admissions
     * (by stamp or by clock reading: readings are <= stamps). Let p be the latest of them; at least
     * one other has index <= p - limit, so its stamp is <= s[p-limit] <= now_p - window <= a, and
     * its reading too: it is not in the interval. Contradiction. This holds per call even when
     * the limit changes, and as long as the check at p saw the real s[p-1] .. s[p-limit], which
     * "Why one CAS suffices" below shows.
     *
     * Index/lap derivation. There is no head counter and no lap number: by (I) the head is the one
     * slot i whose predecessor holds a larger stamp (ring[i-1] > ring[i], the ring's only descent),
     * and the stamp itself tells laps apart. `hint` remembers where the last admission went; it
     * may lag behind (a slow writer may store an old value) and is only where the search starts.
     *
     * Why one CAS suffices. An admission at slot i reads, in this order and with acquire
     * semantics: (1) v = ring[i], (2) prev = ring[i-1], checking prev > v, (3) the slots it needs
     * for the decision, ring[i-limit] and a few of ring[i-1 .. i-limit+1]; then it does
     * CAS(ring[i], v, max(now, prev + 1)). The CAS claims the slot and publishes the stamp in one
     * atomic step, so there is never a claimed-but-unwritten slot for anyone to see. A stamp in a
     * slot only ever grows (each write puts the new maximum there, DEAD is never overwritten), so
     * the CAS cannot succeed against a recycled value (no ABA), and if it succeeds, slot i held v
     * during the whole attempt. Then at read (2) ring[i-1] = prev > v = ring[i]: i was the head at
     * that moment (the ring's only descent, by I). Only the head slot is ever written, and slot i
     * was not, so NOTHING was written between read (2) and the CAS: every value read in (3) is
     * current, the decision was taken on an exact snapshot, prev is the newest stamp (so the new
     * stamp keeps I), and the CAS is the linearization point. If the CAS fails, someone else
     * admitted (or retired) at slot i in between; the attempt starts over at i + 1.
     *
     * Denials. A denial writes nothing. Before answering it re-reads ring[i]; if still v, nothing
     * was written from (2) to that re-read (same argument), so the denial and its retry-after were
     * computed on an exact snapshot too. (A stale denial would only be an under-admission anyway:
     * stamps only grow.)
     *
     * Retirement (eviction). Retiring is an "admission" of the stamp DEAD = Long.MAX_VALUE through
     * the same loop and the same CAS, allowed only if the newest stamp is at least maxWindow old
     * (or unconditionally for forget). DEAD is larger than any stamp, so (I) still holds, and every
     * later attempt finds prev == DEAD at the new head and reports "retired" instead of writing. An
     * admission racing with retirement either linearizes first (then the retirement's CAS fails,
     * or its idleness check sees the new stamp and gives up) or second (then it sees DEAD and the
     * registry retries it on a fresh limiter). No admission is ever recorded in a retired ring.
     * ------------------------------------------------------------------------------------------- */

    private static final long DEAD = Long.MAX_VALUE;

    /** Largest accepted window (about 73 years), so that {@code now - window} cannot overflow. */
    static final long MAX_WINDOW_NANOS = Long.MAX_VALUE / 4;

    /** What {@link #run} answers in the retire modes when this call retired the limiter. */
    private static final Decision RETIRED_NOW = Decision.allowed(0, 0);

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HINT;
    private static final VarHandle MAX_WINDOW;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HINT = lookup.findVarHandle(SlidingWindowLimiter.class, "hint", int.class);
            MAX_WINDOW = lookup.findVarHandle(SlidingWindowLimiter.class, "maxWindow", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Modes of the one CAS loop. */
    private enum Mode {
        /** Record an admission if the limit allows it. */
        ADMIT,
        /** Write DEAD if the newest admission is at least {@code maxWindow} old. */
        RETIRE_IF_IDLE,
        /** Write DEAD whatever the state. */
        RETIRE
    }

    /** Clock reading at creation; stamps are {@code now - origin}, so no stamp wraps in 292 years. */
    private final long origin;
    /** The ring; see the block above. Accessed only through {@link #SLOT}. */
    private final long[] ring;
    /** Where the last admission went, plus one; only a starting point for the head search. */
    @SuppressWarnings("unused") // through HINT
    private int hint;
    /**
     * The largest window any admission was made with. Eviction waits this long after the newest
     * admission, so a shortened window never drops admissions that a later, longer one would still
     * count. Only grows.
     */
    @SuppressWarnings("unused") // through MAX_WINDOW
    private long maxWindow;

    /** A limiter with room for the largest limit, {@link #MAX_LIMIT}, created at {@code nowNanos}. */
    public SlidingWindowLimiter(long nowNanos) {
        this(nowNanos, MAX_LIMIT);
    }

    /** A limiter whose ring holds {@code capacity} stamps; small capacities are for tests. */
    SlidingWindowLimiter(long nowNanos, int capacity) {
        if (capacity < 1 || capacity > MAX_LIMIT) {
            throw new IllegalArgumentException("capacity " + capacity + " must be 1.." + MAX_LIMIT);
        }
        this.origin = nowNanos;
        this.ring = new long[capacity];
        for (int j = 0; j < capacity; j++) {
            ring[j] = Long.MIN_VALUE + j; // EMPTY_j: strictly increasing, head at 0 (invariant I)
        }
        // The final field and the constructor's writes are published safely with the object.
    }

    /**
     * Admits the request at {@code nowNanos} iff fewer than {@code limit} admissions happened in
     * the preceding {@code windowNanos} (see the class comment for the exact rule).
     *
     * @param nowNanos one reading of the monotonic clock, taken by the caller for this attempt
     * @param limit 1..capacity (100)
     * @param windowNanos > 0
     * @return the decision; {@link Decision#failClosed()} if this limiter has been retired or the
     *     retry bound was exceeded
     * @throws IllegalArgumentException for a limit or window out of range (a programming error:
     *     definitions are validated when they are stored)
     */
    public Decision tryAcquire(long nowNanos, int limit, long windowNanos) {
        Decision decision = acquireUnlessRetired(nowNanos, limit, windowNanos);
        return decision != null ? decision : Decision.failClosed();
    }

    /** As {@link #tryAcquire}, but {@code null} if this limiter is retired, so the caller can replace it. */
    Decision acquireUnlessRetired(long nowNanos, int limit, long windowNanos) {
        if (limit < 1 || limit > ring.length) {
            throw new IllegalArgumentException("limit " + limit + " must be 1.." + ring.length);
        }
        if (windowNanos <= 0 || windowNanos > MAX_WINDOW_NANOS) {
            throw new IllegalArgumentException(
                    "window " + windowNanos + " ns must be 1.." + MAX_WINDOW_NANOS + " ns");
        }
        return run(Mode.ADMIT, nowNanos - origin, limit, windowNanos);
    }

    /**
     * Retires this limiter if its newest admission is at least its largest window old, i.e. it
     * counts nothing any more. Once retired, no admission is ever recorded in it.
     *
     * @return true if it is retired now (by this call or an earlier one)
     */
    boolean retireIfIdle(long nowNanos) {
        Decision d = run(Mode.RETIRE_IF_IDLE, nowNanos - origin, 1, 1);
        return d == null || d.allowed();
    }

    /** Retires this limiter whatever it holds (for state that must go, e.g. a deleted token). */
    void retire() {
        Decision d;
        do {
            d = run(Mode.RETIRE, 0, 1, 1);
            // Retry on a fail-closed outcome: RETIRE only loses races to admissions, each of which
            // is progress, and it cannot be refused on its merits.
        } while (d != null && !d.allowed());
    }

    /** Whether this limiter has been retired. */
    boolean isRetired() {
        int capacity = ring.length;
        for (int j = 0; j < capacity; j++) {
            if (slot(j) == DEAD) {
                return true;
            }
        }
        return false;
    }

    /**
     * THE compare-and-set loop, shared by admission and retirement.
     *
     * @return the decision (for the retire modes, allowed = retired by this call), or null if the
     *     limiter was already retired
     */
    private Decision run(Mode mode, long nowRel, int limit, long windowNanos) {
        final int capacity = ring.length;
        int i = (int) HINT.getAcquire(this);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            final long v = slot(i); // (1) the oldest stamp, if i is the head
            final int newestIndex = i == 0 ? capacity - 1 : i - 1;
            final long prev = slot(newestIndex); // (2) the newest stamp, if i is the head
            if (prev == DEAD) {
                return null; // exit: retired; the registry moves the caller to a fresh limiter
            }
            if (prev < v) {
                i = i + 1 == capacity ? 0 : i + 1;
                continue; // not the head (the hint lagged): the head lies further on
            }
            // prev > v: i is the head, to be confirmed by the CAS (or the re-read for a denial).
            final long threshold;
            final long stamp;
            switch (mode) {
                case ADMIT -> {
                    threshold = nowRel - windowNanos;
                    stamp = Math.max(nowRel, prev + 1); // strictly increasing (I); conservative
                }
                case RETIRE_IF_IDLE -> {
                    // Read after (2): an admission whose stamp we saw also made its window visible.
                    threshold = nowRel - (long) MAX_WINDOW.getAcquire(this);
                    stamp = DEAD;
                }
                default -> {
                    threshold = DEAD; // RETIRE: everything counts as aged out
                    stamp = DEAD;
                }
            }
            final long old = slot(back(i, limit, capacity)); // (3) the limit-th newest stamp
            if (old > threshold) {
                if (slot(i) != v) {
                    continue; // the ring moved while we read it: decide again on fresh values
                }
                // exit: denied on an exact snapshot, nothing written. It becomes possible again when
                // `old` leaves the window: old + window - now = old - threshold > 0.
                return Decision.denied(old - threshold);
            }
            // Allowed so far. How many of the newest limit-1 stamps still count (> threshold)?
            final int counted = countNewerThan(threshold, i, limit, capacity);
            final long oldestCounted = counted == 0 ? stamp : slot(back(i, counted, capacity));
            // (All reads of the decision are done; only writes follow.)
            if (mode == Mode.ADMIT && windowNanos > (long) MAX_WINDOW.getAcquire(this)) {
                // The only write that may precede a denial (if the CAS below loses and the retry
                // is refused): it only grows, so at worst it delays eviction. It must precede the
                // CAS so that an evictor that sees our stamp also sees our window.
                raiseMaxWindow(windowNanos);
            }
            if (SLOT.compareAndSet(ring, i, v, stamp)) {
                HINT.setRelease(this, i + 1 == capacity ? 0 : i + 1);
                if (mode != Mode.ADMIT) {
                    return RETIRED_NOW; // exit: retired by this call
                }
                // exit: admitted. The next slot frees when the oldest counted stamp (our own if
                // nothing else counts) leaves the window.
                return Decision.allowed(limit - counted - 1, oldestCounted - threshold);
            }
            // Lost the race for slot i: another admission (or a retirement) took it, so the head
            // is now past i. Go on from i + 1.
            i = i + 1 == capacity ? 0 : i + 1;
        }
        // exit: FAIL CLOSED. The retry bound was exceeded (many threads kept winning the race on
        // this very key); deny rather than risk anything, and write nothing.
        return Decision.failClosed();
    }

    /**
     * Among the newest {@code limit - 1} stamps (offsets 1..limit-1 back from head {@code i}), how
     * many are newer than {@code threshold}. They decrease with the offset, so binary search.
     */
    private int countNewerThan(long threshold, int i, int limit, int capacity) {
        int lo = 0; // offsets 1..lo are known to count
        int hi = limit - 1; // offsets hi+1.. are known not to count
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (slot(back(i, mid, capacity)) > threshold) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void raiseMaxWindow(long windowNanos) {
        long current = (long) MAX_WINDOW.getAcquire(this);
        // Terminates: each failed CAS means another thread raised the value.
        while (current < windowNanos && !MAX_WINDOW.compareAndSet(this, current, windowNanos)) {
            current = (long) MAX_WINDOW.getAcquire(this);
        }
    }

    /** Index of the slot {@code k} (1..capacity) before slot {@code i}. */
    private static int back(int i, int k, int capacity) {
        int j = i - k;
        return j < 0 ? j + capacity : j;
    }

    private long slot(int j) {
        return (long) SLOT.getAcquire(ring, j);
    }

    /** Capacity of the ring (test support). */
    int capacity() {
        return ring.length;
    }
}
