package io.udapi.script;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds asynchronous jobs without blocking: at most {@code maxConcurrency} run at once, at most
 * {@code maxQueue} wait; beyond that {@link #offer} refuses. Lock-free and safe from any thread.
 *
 * <p>Invariant: {@code running} counts started jobs whose release has not run. A job is started only
 * after a CAS took a slot; every path that took a slot either starts a job or gives the slot back.
 * Whoever enqueues drains afterwards, and every release drains, so a queued job cannot be stranded
 * while a slot is free.
 */
final class AsyncLimiter {

    /** An asynchronous job; it must call {@code release} exactly once when it is finished (extra calls are ignored). */
    interface Job {
        void start(Runnable release);
    }

    private final int maxConcurrency;
    private final int maxQueue;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Queue<Job> pending = new ConcurrentLinkedQueue<>();

    AsyncLimiter(int maxConcurrency, int maxQueue) {
        this.maxConcurrency = maxConcurrency;
        this.maxQueue = maxQueue;
    }

    /** Starts {@code job} now or later; false when every slot and queue place is taken (job not run). */
    boolean offer(Job job) {
        if (tryAcquire()) {
            start(job);
            return true;
        }
        if (queued.incrementAndGet() > maxQueue) {
            queued.decrementAndGet();
            return false;
        }
        pending.add(job);
        drain();
        return true;
    }

    int queueDepth() {
        return Math.max(0, queued.get());
    }

    int running() {
        return running.get();
    }

    private boolean tryAcquire() {
        for (;;) {
            int r = running.get();
            if (r >= maxConcurrency) {
                return false;
            }
            if (running.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    private void drain() {
        while (!pending.isEmpty() && tryAcquire()) {
            Job next = pending.poll();
            if (next == null) { // another drainer took it: give the slot back and look again
                running.decrementAndGet();
                continue;
            }
            queued.decrementAndGet();
            start(next);
        }
    }

    private void start(Job job) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                running.decrementAndGet();
                drain();
            }
        };
        try {
            job.start(release);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }
}
