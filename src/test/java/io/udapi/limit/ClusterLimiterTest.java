package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The timeout, the fallback and the availability of cluster scope, on a scripted shared limiter and a fake clock
 * (the retry interval); the one real wait is the timeout of {@link #tryAcquireWhenSharedIsSlowerThanTimeoutThenFallsBack}.
 */
class ClusterLimiterTest {

    private static final long S = 1_000_000_000L;
    private static final LimiterKey KEY = new LimiterKey("t", "d");

    private final FakeNanoClock clock = new FakeNanoClock();
    private final List<ClusterLimiter.Transition> transitions = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    /** What the shared limiter answers next: a decision, a failure, or a stage that never completes (null). */
    private volatile Object next = Decision.allowed(4, 10 * S);

    private final Limiter shared = new Limiter() {
        @Override
        public CompletionStage<Decision> tryAcquire(LimiterKey key, int limit, long windowNanos) {
            calls.incrementAndGet();
            Object answer = next;
            if (answer instanceof Decision d) {
                return CompletableFuture.completedFuture(d);
            }
            if (answer instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            return new CompletableFuture<>();
        }
    };

    private ClusterLimiter limiter(ClusterLimiter.Fallback fallback, Duration timeout) {
        return new ClusterLimiter(shared, new LocalLimiter(new RateLimiterRegistry<>(clock)), timeout,
                Duration.ofSeconds(1), fallback, clock, transitions::add);
    }

    private static ClusterLimiter.Answer join(CompletionStage<ClusterLimiter.Answer> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void tryAcquireWhenSharedAnswersThenItsDecisionCounts() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        ClusterLimiter.Answer answer = join(limiter.tryAcquire(KEY, 5, 10 * S));
        assertEquals(new ClusterLimiter.Answer(Decision.allowed(4, 10 * S), ClusterLimiter.Source.CLUSTER), answer);
        assertTrue(limiter.available());
        assertEquals(0, limiter.fallbacks());
        assertTrue(transitions.isEmpty());
    }

    @Test
    void tryAcquireWhenSharedFailsThenLocalDecidesAndOneTransitionIsReported() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        next = new IOException("Connection refused");
        ClusterLimiter.Answer first = join(limiter.tryAcquire(KEY, 2, 10 * S));
        assertEquals(ClusterLimiter.Source.LOCAL, first.source());
        assertEquals(Decision.allowed(1, 10 * S), first.decision());
        assertFalse(limiter.available());
        // within the retry interval the shared limiter is not asked: the local ring decides, exactly
        assertEquals(ClusterLimiter.Source.LOCAL, join(limiter.tryAcquire(KEY, 2, 10 * S)).source());
        assertFalse(join(limiter.tryAcquire(KEY, 2, 10 * S)).decision().allowed());
        assertEquals(1, calls.get());
        assertEquals(3, limiter.fallbacks());
        assertEquals(List.of(new ClusterLimiter.Transition(false, "IOException: Connection refused")), transitions);
    }

    @Test
    void tryAcquireAfterRetryIntervalWhenSharedAnswersAgainThenClusterDecisionsResume() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        next = new IOException("down");
        join(limiter.tryAcquire(KEY, 5, 10 * S));
        clock.advance(S); // the retry interval has passed: ask again, still down
        assertEquals(ClusterLimiter.Source.LOCAL, join(limiter.tryAcquire(KEY, 5, 10 * S)).source());
        assertEquals(2, calls.get());
        next = Decision.allowed(3, 10 * S);
        clock.advance(S - 1);
        assertEquals(ClusterLimiter.Source.LOCAL, join(limiter.tryAcquire(KEY, 5, 10 * S)).source()); // skipped
        clock.advance(1);
        assertEquals(ClusterLimiter.Source.CLUSTER, join(limiter.tryAcquire(KEY, 5, 10 * S)).source());
        assertTrue(limiter.available());
        assertEquals(List.of(new ClusterLimiter.Transition(false, "IOException: down"),
                new ClusterLimiter.Transition(true, null)), transitions);
    }

    @Test
    void tryAcquireWhenFailClosedAndSharedFailsThenNoDecision() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.REFUSE, Duration.ofSeconds(5));
        next = new IllegalStateException("WRONGPASS");
        ClusterLimiter.Answer answer = join(limiter.tryAcquire(KEY, 5, 10 * S));
        assertEquals(ClusterLimiter.Source.UNAVAILABLE, answer.source());
        assertNull(answer.decision());
        assertEquals(1, limiter.fallbacks());
    }

    @Test
    void tryAcquireWhenSharedIsSlowerThanTimeoutThenFallsBack() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofMillis(20));
        next = null; // never answers
        ClusterLimiter.Answer answer = join(limiter.tryAcquire(KEY, 5, 10 * S));
        assertEquals(ClusterLimiter.Source.LOCAL, answer.source());
        assertEquals(List.of(new ClusterLimiter.Transition(false, "no reply within 20 ms")), transitions);
    }

    @Test
    void tryAcquireWhenArgumentsOutOfRangeThenThrowsAndStaysAvailable() {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> limiter.tryAcquire(KEY, 101, 10 * S));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> limiter.tryAcquire(KEY, 1, 0));
        assertTrue(limiter.available());
        assertEquals(0, calls.get());
        assertTrue(transitions.isEmpty());
    }

    @Test
    void tryAcquireWhenSharedThrowsInsteadOfFailingThenFallsBack() throws Exception {
        Limiter throwing = (key, limit, window) -> {
            throw new IllegalStateException("closed");
        };
        ClusterLimiter limiter = new ClusterLimiter(throwing, new LocalLimiter(new RateLimiterRegistry<>(clock)),
                Duration.ofSeconds(1), Duration.ZERO, ClusterLimiter.Fallback.LOCAL, clock, transitions::add);
        assertEquals(ClusterLimiter.Source.LOCAL, join(limiter.tryAcquire(KEY, 5, 10 * S)).source());
    }

    @Test
    void tryAcquireWhenRetryIntervalEndsWithManyAttemptsAtOnceThenExactlyOneProbesTheShared() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(30));
        next = new IOException("down");
        join(limiter.tryAcquire(KEY, 100, 10 * S));
        assertEquals(1, calls.get());
        next = null;          // the probe hangs, as on a server that accepts connections and never answers
        clock.advance(S);     // the retry interval is over for everybody at the same instant
        int threads = 8;
        int perThread = 50;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> locals = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                locals.add(pool.submit(() -> {
                    start.await();
                    int local = 0;
                    for (int i = 0; i < perThread; i++) {
                        CompletableFuture<ClusterLimiter.Answer> answer = limiter.tryAcquire(KEY, 100, 10 * S)
                                .toCompletableFuture();
                        if (answer.isDone() && answer.join().source() == ClusterLimiter.Source.LOCAL) {
                            local++;
                        }
                    }
                    return local;
                }));
            }
            int local = 0;
            for (java.util.concurrent.Future<Integer> f : locals) {
                local += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(2, calls.get(), "one probe in the interval, not one per attempt");
            assertEquals(threads * perThread - 1, local, "every other attempt was answered at once by the fallback");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void checkWhenProbeFailsThenUnavailableBeforeAnyAttemptAndOneTransition() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        assertFalse(limiter.check(CompletableFuture.failedFuture(new IOException("Connection refused")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertFalse(limiter.available());
        assertEquals(List.of(new ClusterLimiter.Transition(false, "IOException: Connection refused")), transitions);
        // the interval after the failed check is skipped, as after a failed attempt
        assertEquals(ClusterLimiter.Source.LOCAL, join(limiter.tryAcquire(KEY, 5, 10 * S)).source());
        assertEquals(0, calls.get());
        assertTrue(limiter.check(CompletableFuture.completedFuture("PONG")).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(limiter.available());
        assertEquals(2, transitions.size());
    }

    @Test
    void checkWhenProbeNeverAnswersThenTimesOutAsUnavailable() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofMillis(20));
        assertFalse(limiter.check(new CompletableFuture<>()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(List.of(new ClusterLimiter.Transition(false, "no reply within 20 ms")), transitions);
    }

    @Test
    void checkWhenProbeSucceedsThenAvailableWithoutTransition() throws Exception {
        ClusterLimiter limiter = limiter(ClusterLimiter.Fallback.LOCAL, Duration.ofSeconds(5));
        assertTrue(limiter.check(CompletableFuture.completedFuture("PONG")).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(limiter.available());
        assertTrue(transitions.isEmpty());
    }

    @Test
    void tryAcquireWhenALateReplyOfAnOlderAttemptArrivesThenAvailabilityDoesNotFlap() throws Exception {
        List<CompletableFuture<Decision>> sent = new ArrayList<>();
        Limiter held = (key, limit, window) -> {
            CompletableFuture<Decision> reply = new CompletableFuture<>();
            sent.add(reply);
            return reply;
        };
        ClusterLimiter limiter = new ClusterLimiter(held, new LocalLimiter(new RateLimiterRegistry<>(clock)),
                Duration.ofSeconds(30), Duration.ofSeconds(1), ClusterLimiter.Fallback.LOCAL, clock, transitions::add);
        CompletionStage<ClusterLimiter.Answer> early = limiter.tryAcquire(KEY, 5, 10 * S);   // in flight
        CompletionStage<ClusterLimiter.Answer> failing = limiter.tryAcquire(KEY, 5, 10 * S);
        CompletionStage<ClusterLimiter.Answer> lateFailure = limiter.tryAcquire(KEY, 5, 10 * S);
        sent.get(1).completeExceptionally(new IOException("Connection reset"));
        assertEquals(ClusterLimiter.Source.LOCAL, join(failing).source());
        assertFalse(limiter.available());

        sent.get(0).complete(Decision.allowed(4, 10 * S));   // sent before the failure, answered after it
        assertEquals(ClusterLimiter.Source.CLUSTER, join(early).source(), "its own decision still counts");
        assertFalse(limiter.available(), "a reply to an attempt older than the failure does not announce recovery");

        clock.advance(S);
        CompletionStage<ClusterLimiter.Answer> probe = limiter.tryAcquire(KEY, 5, 10 * S);
        sent.get(3).complete(Decision.allowed(3, 10 * S));
        assertEquals(ClusterLimiter.Source.CLUSTER, join(probe).source());
        assertTrue(limiter.available());

        sent.get(2).completeExceptionally(new IOException("Connection reset"));   // older than the recovery
        assertEquals(ClusterLimiter.Source.LOCAL, join(lateFailure).source());
        assertTrue(limiter.available(), "a failure of an attempt older than the recovery does not take it down");
        assertEquals(List.of(new ClusterLimiter.Transition(false, "IOException: Connection reset"),
                new ClusterLimiter.Transition(true, null)), transitions);
    }
}
