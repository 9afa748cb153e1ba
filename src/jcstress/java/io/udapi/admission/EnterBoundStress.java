package io.udapi.admission;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Invariant (B1, B2 of {@link Admission}): concurrent enters never exceed permits plus queue. With one permit and
 * one queue place and nobody releasing, two threads entering two tasks each get exactly one Started, one Queued
 * and two Busy, whatever the interleaving, and leave running = 1 and queued = 1. (Two actors, not four: the
 * machines that run the build may have two cores, and jcstress does not run more actors than cores.)
 *
 * <p>r1 = Started count, r2 = Queued count, r3 = Busy count, r4 = running * 10 + queued, seen by the arbiter.
 * FORBIDDEN: anything else, e.g. two Started (a permit handed out twice), two Queued (the queue bound
 * overshot), a Busy while a place was free, or counters off their bounds.
 */
@JCStressTest
@Description("Two threads race two tasks each into an admission of one permit and one queue place")
@Outcome(id = "1, 1, 2, 11", expect = ACCEPTABLE, desc = "one started, one queued, two refused")
@Outcome(expect = FORBIDDEN, desc = "a bound exceeded or a place left unused")
@State
public class EnterBoundStress {

    private final Admission<Integer> admission = new Admission<>(1, 1, (task, permit) -> {
        // holds the permit: nobody releases in this test
    });
    private Ticket t1;
    private Ticket t2;
    private Ticket t3;
    private Ticket t4;

    @Actor
    public void first() {
        t1 = admission.tryEnter(1);
        t2 = admission.tryEnter(2);
    }

    @Actor
    public void second() {
        t3 = admission.tryEnter(3);
        t4 = admission.tryEnter(4);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        for (Ticket t : new Ticket[] {t1, t2, t3, t4}) {
            if (t instanceof Ticket.Started) {
                r.r1++;
            } else if (t instanceof Ticket.Queued) {
                r.r2++;
            } else if (t instanceof Ticket.Busy) {
                r.r3++;
            }
        }
        r.r4 = admission.running() * 10 + admission.queued();
    }
}
