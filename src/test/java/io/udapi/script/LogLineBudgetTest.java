package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stderr line budget of a worker process, on a fake clock. */
class LogLineBudgetTest {

    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final LogLineBudget budget = new LogLineBudget(now::get);

    private int takeAll(int lines) {
        int passed = 0;
        for (int i = 0; i < lines; i++) {
            if (budget.tryTake()) {
                passed++;
            }
        }
        return passed;
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aFloodGetsTheBurstAndEveryOtherLineIsCounted() {
        assertEquals(LogLineBudget.BURST, takeAll(10_000));
        assertEquals(10_000 - LogLineBudget.BURST, budget.takeDropped());
        assertEquals(0, budget.takeDropped(), "counted once");
    }

    @Test
    void afterTheBurstLinesPassAtTheSteadyRate() {
        takeAll(LogLineBudget.BURST);
        assertFalse(budget.tryTake());
        advance(1000 / LogLineBudget.PER_SECOND);
        assertTrue(budget.tryTake(), "one line's worth of time, one line");
        assertFalse(budget.tryTake());
        advance(1000);
        assertEquals(LogLineBudget.PER_SECOND, takeAll(1000), "a second's worth");
    }

    @Test
    void idleTimeRefillsTheBurstButNeverBeyondIt() {
        takeAll(LogLineBudget.BURST);
        advance(TimeUnit.HOURS.toMillis(1));
        assertEquals(LogLineBudget.BURST, takeAll(1000));
    }

    @Test
    void aWorkerWithinTheRateLosesNothing() {
        for (int i = 0; i < 10_000; i++) {
            assertTrue(budget.tryTake(), "line " + i);
            advance(1000 / LogLineBudget.PER_SECOND);
        }
        assertEquals(0, budget.takeDropped());
    }
}
