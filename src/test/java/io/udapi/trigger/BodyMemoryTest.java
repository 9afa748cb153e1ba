package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The body-memory budget's accounting, without HTTP (TriggerBodyMemoryTest has it through real HTTP). */
class BodyMemoryTest {

    private final List<BodyMemory.Share> arranged = new ArrayList<>();
    private final BodyMemory memory = new BodyMemory(1000);

    @Test
    void sharesTakeWhatFitsAndGiveItBackOnceOnRelease() {
        BodyMemory.Share a = memory.share(arranged::add);
        BodyMemory.Share b = memory.share(arranged::add);
        assertTrue(a.tryAdd(600));
        assertFalse(b.tryAdd(401), "600 + 401 > 1000");
        assertTrue(b.tryAdd(400));
        assertEquals(1000, memory.held());
        a.release();
        a.release();
        assertEquals(400, memory.held(), "released once");
        assertFalse(a.tryAdd(1), "a released share takes nothing");
        b.release();
        assertEquals(0, memory.held());
    }

    @Test
    void aShareArrangesItsReleaseOnlyWhenItFirstHoldsBytes() {
        BodyMemory.Share empty = memory.share(arranged::add);
        assertTrue(empty.tryAdd(0));
        assertEquals(List.of(), arranged, "an empty body costs no end handler");
        assertTrue(empty.tryAdd(10));
        assertTrue(empty.tryAdd(10));
        assertEquals(List.of(empty), arranged, "arranged once");
    }

    @Test
    void theDefaultIsAQuarterOfTheHeapButAtLeastTwoOfTheLargestBodies() {
        assertEquals(256L << 20, BodyMemory.capacity(Optional.empty(), 29L << 20, 1L << 30));
        assertEquals(58L << 20, BodyMemory.capacity(Optional.empty(), 29L << 20, 128L << 20));
        assertEquals(4096, BodyMemory.capacity(Optional.of(4096L), 29L << 20, 1L << 30), "configured wins");
    }

    @Test
    void concurrentSharesNeverHoldMoreThanTheCapacity() throws Exception {
        BodyMemory shared = new BodyMemory(10_000);
        AtomicInteger over = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    BodyMemory.Share s = shared.share(x -> { });
                    if (s.tryAdd(3000) && shared.held() > 10_000) {
                        over.incrementAndGet();
                    }
                    s.release();
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, over.get());
        assertEquals(0, shared.held());
    }
}
