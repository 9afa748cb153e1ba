package io.udapi.token;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The compiled form of {@link SourceRanges}: per family, the blocks as sorted, disjoint, non-adjacent
 * closed intervals, found by binary search (at most 7 steps for 100 blocks).
 *
 * <p>Invariants, established once in {@link #of} and never changed (the arrays are never written
 * after construction and never leave this class, so instances are safely shared by every thread):
 * {@code v4Start[i] <= v4End[i] < v4Start[i + 1] - 1} as unsigned 32-bit values held in longs;
 * likewise for IPv6 with 128-bit values held as (hi, lo) pairs compared unsigned.
 *
 * <p>Allocation: {@link #lookup} parses with the calling thread's {@link AddressText}, created once per
 * thread; a lookup allocates nothing.
 */
final class AddressTable {

    static final int MALFORMED = -1;
    static final int NO_MATCH = 0;
    static final int MATCH = 1;

    private static final ThreadLocal<AddressText> PARSER = ThreadLocal.withInitial(AddressText::new);

    private final long[] v4Start;
    private final long[] v4End;
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private AddressTable(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi,
                         long[] v6EndLo) {
        this.v4Start = v4Start;
        this.v4End = v4End;
        this.v6StartHi = v6StartHi;
        this.v6StartLo = v6StartLo;
        this.v6EndHi = v6EndHi;
        this.v6EndLo = v6EndLo;
    }

    /** An interval [start, end] of 128-bit values (IPv4 in the low 32 bits of {@code lo}). */
    private record Interval(long startHi, long startLo, long endHi, long endLo) {
    }

    private static final Comparator<Interval> BY_START = (a, b) -> {
        int c = Long.compareUnsigned(a.startHi, b.startHi);
        return c != 0 ? c : Long.compareUnsigned(a.startLo, b.startLo);
    };

    static AddressTable of(List<SourceRanges.Cidr> blocks) {
        List<Interval> v4 = new ArrayList<>();
        List<Interval> v6 = new ArrayList<>();
        for (SourceRanges.Cidr block : blocks) {
            Interval interval = new Interval(block.hi(), block.lo(), block.lastHi(), block.lastLo());
            (block.family() == AddressText.V4 ? v4 : v6).add(interval);
        }
        List<Interval> merged4 = merge(v4);
        List<Interval> merged6 = merge(v6);
        long[] s4 = new long[merged4.size()];
        long[] e4 = new long[merged4.size()];
        for (int i = 0; i < s4.length; i++) {
            s4[i] = merged4.get(i).startLo;
            e4[i] = merged4.get(i).endLo;
        }
        int n = merged6.size();
        long[] sh = new long[n];
        long[] sl = new long[n];
        long[] eh = new long[n];
        long[] el = new long[n];
        for (int i = 0; i < n; i++) {
            Interval interval = merged6.get(i);
            sh[i] = interval.startHi;
            sl[i] = interval.startLo;
            eh[i] = interval.endHi;
            el[i] = interval.endLo;
        }
        return new AddressTable(s4, e4, sh, sl, eh, el);
    }

    /** Sorts by start and joins intervals that overlap or touch (end + 1 == next start). */
    private static List<Interval> merge(List<Interval> intervals) {
        intervals.sort(BY_START);
        List<Interval> out = new ArrayList<>();
        for (Interval next : intervals) {
            if (!out.isEmpty()) {
                Interval last = out.get(out.size() - 1);
                if (!isMax(last.endHi, last.endLo) && compare(next.startHi, next.startLo, plusOneHi(last), plusOneLo(last)) <= 0) {
                    if (compare(next.endHi, next.endLo, last.endHi, last.endLo) > 0) {
                        out.set(out.size() - 1, new Interval(last.startHi, last.startLo, next.endHi, next.endLo));
                    }
                    continue;
                }
                if (isMax(last.endHi, last.endLo)) {
                    continue; // the last interval already reaches the top of the space
                }
            }
            out.add(next);
        }
        return out;
    }

    private static boolean isMax(long hi, long lo) {
        return hi == -1L && lo == -1L;
    }

    private static long plusOneLo(Interval i) {
        return i.endLo + 1;
    }

    private static long plusOneHi(Interval i) {
        return i.endLo == -1L ? i.endHi + 1 : i.endHi;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** {@link #MATCH}, {@link #NO_MATCH} or {@link #MALFORMED} for the address literal {@code s[from, to)}. */
    int lookup(CharSequence s, int from, int to) {
        AddressText address = PARSER.get();
        int family = address.parse(s, from, to);
        if (family == AddressText.V4) {
            return containsV4(address.v4) ? MATCH : NO_MATCH;
        }
        if (family == AddressText.V6) {
            return containsV6(address.hi, address.lo) ? MATCH : NO_MATCH;
        }
        return MALFORMED;
    }

    boolean containsV4(long address) {
        long[] starts = v4Start;
        int low = 0;
        int high = starts.length - 1;
        // the last interval whose start is <= address, if any
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= address) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && address <= v4End[high];
    }

    boolean containsV6(long hi, long lo) {
        int low = 0;
        int high = v6StartHi.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], hi, lo) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && compare(hi, lo, v6EndHi[high], v6EndLo[high]) <= 0;
    }

    /** Whether the table holds no block at all (then it matches nothing). */
    boolean isEmpty() {
        return v4Start.length == 0 && v6StartHi.length == 0;
    }
}
