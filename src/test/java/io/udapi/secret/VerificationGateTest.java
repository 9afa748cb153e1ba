package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerificationGateTest {

    private static final long WAIT_SECONDS = 10; // only a safety net for a broken gate, never elapses when green
    /** What a refused submission answers in these tests; no work here returns it. */
    private static final int BUSY = -1;

    /** More threads than permits: a leaking gate would run more work at once. */
    private final ExecutorService workers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    /** Work that marks itself started, then waits for {@code release}, tracking the peak of concurrent runs. */
    private static Supplier<Integer> blocking(CountDownLatch started, CountDownLatch release, AtomicInteger active,
            AtomicInteger peak, int value) {
        return () -> {
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            started.countDown();
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            active.decrementAndGet();
            return value;
        };
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void submitWhenMoreWorkThanPermitsThenConcurrencyNeverExceedsMax() throws Exception {
        VerificationGate gate = new VerificationGate(2, 100, workers);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            results.add(gate.submit(blocking(started, release, active, peak, i), BUSY).toCompletableFuture());
        }
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));

        assertEquals(2, gate.running());
        assertEquals(18, gate.queueDepth());
        release.countDown();
        for (int i = 0; i < 20; i++) {
            assertEquals(i, join(results.get(i)));
        }
        assertEquals(2, peak.get());
        assertEquals(0, gate.running());
        assertEquals(0, gate.queueDepth());
    }

    @Test
    void submitWhenQueueIsFullThenBusyImmediately() throws Exception {
        VerificationGate gate = new VerificationGate(1, 1, workers);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CompletableFuture<Integer> running = gate.submit(blocking(started, release, active, peak, 1), BUSY)
                .toCompletableFuture();
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Integer> queued = gate.submit(() -> 2, BUSY).toCompletableFuture();

        CompletableFuture<Integer> refused = gate.submit(() -> 3, BUSY).toCompletableFuture();

        // completed before submit returned, with the busy value: no waiting on the caller's thread, no exception
        assertTrue(refused.isDone());
        assertEquals(BUSY, refused.getNow(null));
        assertEquals(1, gate.queueDepth());
        release.countDown();
        assertEquals(1, join(running));
        assertEquals(2, join(queued));
        assertEquals(0, gate.queueDepth());
    }

    @Test
    void queueDepthWhenWorkWaitsThenCountsIt() throws Exception {
        VerificationGate gate = new VerificationGate(1, 5, workers);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        results.add(gate.submit(blocking(started, release, active, peak, 0), BUSY).toCompletableFuture());
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, gate.queueDepth());

        for (int i = 1; i <= 3; i++) {
            results.add(gate.submit(() -> 42, BUSY).toCompletableFuture());
            assertEquals(i, gate.queueDepth());
        }

        release.countDown();
        for (CompletableFuture<Integer> result : results) {
            join(result);
        }
        assertEquals(0, gate.queueDepth());
    }

    @Test
    void submitWhenWorkThrowsThenStageFailsAndPermitReturns() throws Exception {
        VerificationGate gate = new VerificationGate(1, 0, workers);
        IllegalStateException fault = new IllegalStateException("native failure");

        CompletableFuture<Integer> failed = gate.submit(() -> {
            throw fault;
        }, BUSY).toCompletableFuture();

        ExecutionException e = assertThrows(ExecutionException.class, () -> join(failed));
        assertSame(fault, e.getCause());
        assertEquals(7, join(gate.submit(() -> 7, BUSY).toCompletableFuture()));
    }

    @Test
    void submitWhenExecutorRejectsThenStageFailsAndPermitReturns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        VerificationGate gate = new VerificationGate(1, 0, task -> {
            if (calls.getAndIncrement() == 0) {
                throw new RejectedExecutionException("shutting down");
            }
            workers.execute(task);
        });

        CompletableFuture<Integer> rejected = gate.submit(() -> 1, BUSY).toCompletableFuture();

        ExecutionException e = assertThrows(ExecutionException.class, () -> join(rejected));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(0, gate.running());
        assertEquals(2, join(gate.submit(() -> 2, BUSY).toCompletableFuture()));
    }

    @Test
    void constructorWhenBoundsInvalidThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VerificationGate(0, 1, workers));
        assertThrows(IllegalArgumentException.class, () -> new VerificationGate(1, -1, workers));
    }

    /**
     * Soak: 4 submitters x 2 000 short tasks through 3 permits and a queue of 50. Invariants: at most 3 run at
     * once; every stage completes, either with its value or busy; nothing is left running or queued.
     */
    @Test
    void submitWhenManyThreadsSubmitThenBoundsHoldAndEverythingCompletes() throws Exception {
        VerificationGate gate = new VerificationGate(3, 50, workers);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            List<java.util.concurrent.Future<List<CompletableFuture<Void>>>> batches = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                batches.add(submitters.submit(() -> {
                    List<CompletableFuture<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        mine.add(gate.submit(() -> {
                            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            active.decrementAndGet();
                            return 1;
                        }, BUSY).toCompletableFuture().handle((value, failure) -> {
                            if (failure == null && value == 1) {
                                done.incrementAndGet();
                            } else if (failure == null && value == BUSY) {
                                busy.incrementAndGet();
                            }
                            return null;
                        }));
                    }
                    return mine;
                }));
            }
            for (var batch : batches) {
                all.addAll(batch.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            submitters.shutdownNow();
        }

        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertEquals(8_000, done.get() + busy.get());
        assertEquals(0, gate.running());
        assertEquals(0, gate.queueDepth());
    }

    @Test
    void onOwnThreadsThenWorkRunsOnNamedThreadsAtNiceTen() throws Exception {
        VerificationGate gate = VerificationGate.onOwnThreads("gate-test", 1, 0);
        try {
            String[] seen = gate.submit(() -> {
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
                    // fields after the command name: state is field 3, nice is field 19
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return new String[] {Thread.currentThread().getName(), fields[19 - 3]};
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("gate-test-1", seen[0]);
            assertEquals(String.valueOf(VerificationGate.ARGON2_NICE), seen[1]);
        } finally {
            gate.close();
        }
    }
}
