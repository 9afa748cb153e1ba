package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    @Test
    void offerWhenSlotsAndQueueAreFullThenRefusedAndQueuedJobsStartOnRelease() {
        AsyncLimiter limiter = new AsyncLimiter(1, 1);
        List<Runnable> releases = new ArrayList<>();
        assertTrue(limiter.offer(releases::add));
        assertTrue(limiter.offer(releases::add));
        assertEquals(1, releases.size(), "second job waits");
        assertEquals(1, limiter.queueDepth());
        assertFalse(limiter.offer(releases::add));
        releases.get(0).run();
        releases.get(0).run(); // a second release of the same job is ignored
        assertEquals(2, releases.size(), "queued job started");
        assertEquals(0, limiter.queueDepth());
        assertEquals(1, limiter.running());
        releases.get(1).run();
        assertEquals(0, limiter.running());
    }

    /** Invariant: never more than maxConcurrency jobs between start and release; every accepted job runs. */
    @Test
    void underContentionNeverMoreThanMaxConcurrencyAndNoAcceptedJobIsLost() throws Exception {
        int max = 3;
        AsyncLimiter limiter = new AsyncLimiter(max, 50);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService completer = Executors.newFixedThreadPool(4);
        ExecutorService offerers = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        try {
            for (int t = 0; t < 4; t++) {
                offerers.execute(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        boolean ok = limiter.offer(release -> {
                            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            completer.execute(() -> {
                                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                                    Thread.onSpinWait();
                                }
                                inFlight.decrementAndGet();
                                finished.incrementAndGet();
                                release.run();
                            });
                        });
                        if (ok) {
                            accepted.incrementAndGet();
                        }
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> finished.get() == accepted.get() && limiter.running() == 0);
            assertTrue(peak.get() <= max, "peak " + peak.get());
            assertEquals(0, limiter.queueDepth());
        } finally {
            offerers.shutdownNow();
            completer.shutdownNow();
        }
    }
}
