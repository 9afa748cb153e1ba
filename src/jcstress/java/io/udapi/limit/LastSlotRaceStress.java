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
 * Invariant: when one admission is left in the window, two racing requests get exactly one of it.
 *
 * <p>A ring of capacity 2 (so every admission wraps around) with limit 2, window 10, holding
 * admissions at 0, 10 and 20; at 25 the window (15, 25] holds one, so one more fits. Both actors
 * ask at 25. FORBIDDEN: both admitted (over-admission, the one thing the limiter must never do);
 * neither admitted (with two threads the bounded retry loop must always let one through, so this
 * would mean a lost update or a spurious denial).
 */
@JCStressTest
@Description("Two requests race for the last slot of the window")
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one admitted")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both admitted: limit exceeded")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both denied: the last slot was lost")
@State
public class LastSlotRaceStress {

    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(0, 2);

    public LastSlotRaceStress() {
        limiter.tryAcquire(0, 2, 10);
        limiter.tryAcquire(10, 2, 10);
        limiter.tryAcquire(20, 2, 10);
    }

    @Actor
    public void first(II_Result r) {
        r.r1 = limiter.tryAcquire(25, 2, 10).allowed() ? 1 : 0;
    }

    @Actor
    public void second(II_Result r) {
        r.r2 = limiter.tryAcquire(25, 2, 10).allowed() ? 1 : 0;
    }
}
