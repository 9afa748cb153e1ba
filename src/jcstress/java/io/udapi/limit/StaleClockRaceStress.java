package io.udapi.limit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Invariant: what the ring records is exactly what was admitted, even when the racing requests
 * carry different clock readings (one thread read the clock earlier and was preempted).
 *
 * <p>Limit 1, window 10, an admission at 0. The actors ask at 10 and at 15; either may win, and
 * whichever loses must see the winner's stamp. The arbiter then asks at 15, which is always
 * refused, and reports its retry-after: 5 if the stamp 10 was recorded, 10 if the stamp 15 was.
 * FORBIDDEN: both admitted (limit exceeded), neither admitted (lost slot), or a retry-after that
 * does not belong to the winner (the ring recorded something other than the admission).
 */
@JCStressTest
@Description("Admissions with different clock readings race; the arbiter checks what was recorded")
@Outcome(id = "1, 0, 5", expect = ACCEPTABLE, desc = "the request at 10 won and was recorded")
@Outcome(id = "0, 1, 10", expect = ACCEPTABLE, desc = "the request at 15 won and was recorded")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: limit exceeded")
@Outcome(expect = FORBIDDEN, desc = "lost slot, or the ring disagrees with the winner")
@State
public class StaleClockRaceStress {

    private final SlidingWindowLimiter limiter = new SlidingWindowLimiter(0);

    public StaleClockRaceStress() {
        limiter.tryAcquire(0, 1, 10);
    }

    @Actor
    public void stale(III_Result r) {
        r.r1 = limiter.tryAcquire(10, 1, 10).allowed() ? 1 : 0;
    }

    @Actor
    public void fresh(III_Result r) {
        r.r2 = limiter.tryAcquire(15, 1, 10).allowed() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        Decision d = limiter.tryAcquire(15, 1, 10);
        r.r3 = d.allowed() ? -1 : (int) d.retryAfterNanos();
    }
}
