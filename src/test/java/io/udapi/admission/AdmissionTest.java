package io.udapi.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    /** A starter that only records what it started and the permits, so a test releases them by hand. */
    private static final class Recorder implements Admission.Starter<String> {
        final List<String> started = new ArrayList<>();
        final List<Admission.Permit> permits = new ArrayList<>();

        @Override
        public void start(String task, Admission.Permit permit) {
            started.add(task);
            permits.add(permit);
        }
    }

    @Test
    void tryEnterWhenAPermitIsFreeThenStartedOnTheCallersThread() {
        Recorder recorder = new Recorder();
        Admission<String> admission = new Admission<>(2, 1, recorder);

        assertSame(Ticket.STARTED, admission.tryEnter("a"));
        assertSame(Ticket.STARTED, admission.tryEnter("b"));

        assertEquals(List.of("a", "b"), recorder.started);
        assertEquals(2, admission.running());
        assertEquals(0, admission.queued());
    }

    @Test
    void tryEnterWhenEveryPermitIsHeldThenQueuedAndNotStarted() {
        Recorder recorder = new Recorder();
        Admission<String> admission = new Admission<>(1, 2, recorder);
        admission.tryEnter("a");

        assertSame(Ticket.QUEUED, admission.tryEnter("b"));

        assertEquals(List.of("a"), recorder.started);
        assertEquals(1, admission.running());
        assertEquals(1, admission.queued());
    }

    @Test
    void tryEnterWhenPermitsAndQueueAreFullThenBusyWithTheBoundsAndNothingKept() {
        Recorder recorder = new Recorder();
        Admission<String> admission = new Admission<>(1, 1, recorder);
        admission.tryEnter("a");
        admission.tryEnter("b");

        Ticket.Busy busy = assertInstanceOf(Ticket.Busy.class, admission.tryEnter("c"));

        assertEquals(new Ticket.Busy(1, 1), busy);
        assertEquals("1 running and 1 waiting", busy.toString());
        assertEquals(1, admission.queued(), "the refused task took no place");
        recorder.permits.get(0).release();
        recorder.permits.get(1).release();
        assertEquals(List.of("a", "b"), recorder.started, "the refused task never runs");
    }

    @Test
    void tryEnterWhenQueueLimitIsZeroThenBusyAsSoonAsEveryPermitIsHeld() {
        Admission<String> admission = new Admission<>(1, 0, new Recorder());
        admission.tryEnter("a");

        assertInstanceOf(Ticket.Busy.class, admission.tryEnter("b"));
        assertEquals(0, admission.queued());
    }

    @Test
    void releaseWhenATaskWaitsThenItStartsWithThePermit() {
        Recorder recorder = new Recorder();
        Admission<String> admission = new Admission<>(1, 2, recorder);
        admission.tryEnter("a");
        admission.tryEnter("b");
        admission.tryEnter("c");

        assertTrue(recorder.permits.get(0).release());

        assertEquals(List.of("a", "b"), recorder.started, "queue order");
        assertEquals(1, admission.running(), "the permit went on, not back");
        assertEquals(1, admission.queued());
        recorder.permits.get(1).release();
        assertEquals(List.of("a", "b", "c"), recorder.started);
        recorder.permits.get(2).release();
        assertEquals(0, admission.running());
        assertEquals(0, admission.queued());
    }

    @Test
    void releaseWhenCalledTwiceThenOnlyTheFirstCounts() {
        Recorder recorder = new Recorder();
        Admission<String> admission = new Admission<>(1, 1, recorder);
        admission.tryEnter("a");
        admission.tryEnter("b");

        assertTrue(recorder.permits.get(0).release());
        assertFalse(recorder.permits.get(0).release(), "a second release of the same permit is ignored");

        assertEquals(1, admission.running(), "b holds the one permit");
        assertSame(Ticket.QUEUED, admission.tryEnter("c"));
    }

    @Test
    void tryEnterWhenTheStarterThrowsThenThePermitIsReleasedAndTheExceptionPropagates() {
        IllegalStateException rejected = new IllegalStateException("rejected");
        Admission<String> admission = new Admission<>(1, 0, (task, permit) -> {
            throw rejected;
        });

        assertSame(rejected, assertThrows(IllegalStateException.class, () -> admission.tryEnter("a")));
        assertEquals(0, admission.running());
    }

    @Test
    void releaseWhenTheNextStarterThrowsThenTheTaskAfterItStillStarts() {
        List<String> started = new ArrayList<>();
        List<Admission.Permit> permits = new ArrayList<>();
        Admission<String> admission = new Admission<>(1, 2, (task, permit) -> {
            if (task.equals("bad")) {
                throw new IllegalStateException("rejected");
            }
            started.add(task);
            permits.add(permit);
        });
        admission.tryEnter("a");
        admission.tryEnter("bad");
        admission.tryEnter("c");

        assertThrows(IllegalStateException.class, () -> permits.get(0).release());

        assertEquals(List.of("a", "c"), started);
        assertEquals(1, admission.running());
        assertEquals(0, admission.queued());
    }

    @Test
    void constructorWhenBoundsInvalidThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Admission<String>(0, 1, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> new Admission<String>(1, -1, new Recorder()));
        assertThrows(NullPointerException.class, () -> new Admission<String>(1, 1, null));
    }

    /**
     * Soak: 4 threads x 5 000 tasks through 3 permits and a queue of 50, each released from a pool of completers.
     * Invariants: never more than 3 between start and release, the counters never leave their bounds, every
     * task that was not refused runs, and nothing is left running or queued.
     */
    @Test
    void tryEnterWhenManyThreadsEnterAndReleaseThenBoundsHoldAndNoTaskIsLost() throws Exception {
        int permits = 3;
        int queueLimit = 50;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger peakQueued = new AtomicInteger();
        AtomicInteger minQueued = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService completers = Executors.newFixedThreadPool(4);
        ExecutorService enterers = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        Admission<Integer> admission = new Admission<>(permits, queueLimit, (task, permit) -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            completers.execute(() -> {
                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                    Thread.onSpinWait();
                }
                inFlight.decrementAndGet();
                finished.incrementAndGet();
                permit.release();
            });
        });
        try {
            for (int t = 0; t < 4; t++) {
                enterers.execute(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        if (!(admission.tryEnter(i) instanceof Ticket.Busy)) {
                            accepted.incrementAndGet();
                        }
                        int q = admission.queued();
                        peakQueued.accumulateAndGet(q, Math::max);
                        minQueued.accumulateAndGet(q, Math::min);
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> finished.get() == accepted.get() && admission.running() == 0);
            assertTrue(peak.get() <= permits, "peak " + peak.get());
            assertTrue(peakQueued.get() <= queueLimit, "queued reached " + peakQueued.get());
            assertEquals(0, minQueued.get(), "queued never below 0");
            assertEquals(0, admission.queued());
        } finally {
            enterers.shutdownNow();
            completers.shutdownNow();
        }
    }
}
