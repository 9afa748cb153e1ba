package io.udapi.limit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Invariant: no admission is ever recorded in a retired ring; retirement and admission are
 * ordered by the same compare-and-set.
 *
 * <p>Limit 1, window 10, an admission at 0. At 10 the state is idle (the admission is exactly one
 * window old), so the evictor may retire it, and a request at 10 may be admitted. r1: 1 admitted,
 * 0 denied, -1 found the limiter retired; r2: 1 retired, 0 not. FORBIDDEN: admitted and retired
 * (the admission would be lost with the evicted state); retired-signal without a retirement;
 * denied (neither order justifies a denial).
 */
@JCStressTest
@Description("An evictor retires an idle limiter while a request is admitted into it")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "admitted first; the evictor saw it and kept the state")
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "retired first; the request goes to a fresh limiter")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "admission recorded in a retired ring: lost")
@Outcome(expect = FORBIDDEN, desc = "spurious denial or retired-signal without retirement")
@State
public class RetireVsAdmitStress {

    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(0);

    public RetireVsAdmitStress() {
        limiter.tryAcquire(0, 1, 10);
    }

    @Actor
    public void request(II_Result r) {
        Decision d = limiter.acquireUnlessRetired(10, 1, 10);
        r.r1 = d == null ? -1 : d.allowed() ? 1 : 0;
    }

    @Actor
    public void evictor(II_Result r) {
        r.r2 = limiter.retireIfIdle(10) ? 1 : 0;
    }
}
