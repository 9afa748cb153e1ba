package io.udapi.admission;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Invariant (B3 of {@link Admission}): no task waits while a permit is free. The one permit is held by task A; A
 * releases it while task B enters. B may find the permit taken and queue itself just as A gives it back: then
 * one of the two drains must still see both B and the free permit. Afterwards B has started, whatever the
 * interleaving, and holds the one permit.
 *
 * <p>r1 = B's ticket (0 Started, 1 Queued, 2 Busy), r2 = how often B started, r3 = running, r4 = queued, seen by
 * the arbiter. FORBIDDEN: "1, 0, 0, 1", B stranded in the queue next to a free permit (the lost wake-up), and
 * anything else (a refusal with a queue place free, a double start, a miscount).
 */
@JCStressTest
@Description("A task enters while the only permit is released")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "the release came first: B took the free permit")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "B queued first: a drain handed it the released permit")
@Outcome(id = "1, 0, 0, 1", expect = FORBIDDEN, desc = "lost wake-up: B waits next to a free permit")
@Outcome(expect = FORBIDDEN, desc = "refused with room, started twice, or miscounted")
@State
public class NoLostWakeUpStress {

    private final AtomicInteger bStarts = new AtomicInteger();
    private final AtomicReference<Admission.Permit> aPermit = new AtomicReference<>();
    private final Admission<Integer> admission = new Admission<>(1, 1, (task, permit) -> {
        if (task == 0) {
            aPermit.set(permit);
        } else {
            bStarts.incrementAndGet();
        }
    });
    private Ticket b;

    public NoLostWakeUpStress() {
        admission.tryEnter(0); // A holds the permit
    }

    @Actor
    public void releaseA() {
        aPermit.get().release();
    }

    @Actor
    public void enterB() {
        b = admission.tryEnter(1);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = b instanceof Ticket.Started ? 0 : b instanceof Ticket.Queued ? 1 : 2;
        r.r2 = bStarts.get();
        r.r3 = admission.running();
        r.r4 = admission.queued();
    }
}
