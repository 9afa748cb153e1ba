package io.udapi.admission;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Invariant (B1, B3 of {@link Admission}): a release with a task waiting starts it, exactly once. Two permits are
 * held by tasks A and B, task C waits in the queue; A and B release at the same time, so both drain and race for
 * C. Afterwards C has started once, on one permit, and the other permit is free.
 *
 * <p>r1 = how often C started, r2 = running, r3 = queued, seen by the arbiter. FORBIDDEN: C not started (a lost
 * wake-up with two free permits), C started twice (a task handed out by both drainers), or a permit counted
 * twice or not at all.
 */
@JCStressTest
@Description("Two permits are released at once while one task waits")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the waiting task started once; one permit free")
@Outcome(expect = FORBIDDEN, desc = "lost wake-up, double start or a miscounted permit")
@State
public class ReleaseHandsOnStress {

    private final AtomicInteger cStarts = new AtomicInteger();
    private final AtomicReferenceArray<Admission.Permit> permits = new AtomicReferenceArray<>(3);
    private final Admission<Integer> admission = new Admission<>(2, 1, (task, permit) -> {
        permits.set(task, permit);
        if (task == 2) {
            cStarts.incrementAndGet();
        }
    });

    public ReleaseHandsOnStress() {
        admission.tryEnter(0); // A: started
        admission.tryEnter(1); // B: started
        admission.tryEnter(2); // C: queued
    }

    @Actor
    public void releaseA() {
        permits.get(0).release();
    }

    @Actor
    public void releaseB() {
        permits.get(1).release();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = cStarts.get();
        r.r2 = admission.running();
        r.r3 = admission.queued();
    }
}
