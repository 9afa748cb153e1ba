package io.udapi.secret;

import io.udapi.os.Posix;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps concurrent Argon2 verifications (SPEC 4.1, 4.2): at most {@code maxConcurrent} run on the worker
 * {@link Executor}, at most {@code maxQueue} wait, and anything beyond is refused at once.
 *
 * <p>{@link #submit} never blocks the caller (an event-loop thread): it either hands the work to the executor,
 * queues it, or answers an already-failed stage. Busy is signalled as a stage completed exceptionally with a
 * {@link VerificationBusyException} (rather than a Busy value), because the stage must carry the work's own
 * result type and every other failure travels the same way; callers map it to 503 / 1100.
 *
 * <p>The returned stage completes on the worker thread that ran the work (after the permit was handed on), so
 * dependent actions that touch request state must hop back to their event loop (Vert.x
 * {@code Context.runOnContext}) or use the {@code *Async} variants. An exception thrown by the work
 * completes the stage exceptionally with it. The executor must not run tasks on the calling thread; if it
 * rejects a task, that task's stage fails with the rejection.
 *
 * <p>Lock-free: permits are an {@link AtomicInteger} ({@code running}), waiting work a
 * {@link ConcurrentLinkedQueue} with a separate {@link AtomicInteger} of reserved queue slots ({@code queued}).
 * Invariants: {@code 0 <= running <= maxConcurrent} and {@code 0 <= queued <= maxQueue} at all times; both
 * only grow through {@link #tryAcquire}'s compare-and-set below the bound. No lost wake-up: a submitter
 * enqueues, then tries to take a permit for the head of the queue; a finishing task releases its permit, then
 * does the same. Whichever of the two comes second sees both the queued work and the free permit (see
 * {@link #drain}). Not FIFO-fair: new work may take a permit that frees up before queued work does; the queue
 * only bounds how much waits.
 */
public final class VerificationGate {

    private final int maxConcurrent;
    private final int maxQueue;
    private final Executor executor;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Queue<Task<?>> waiting = new ConcurrentLinkedQueue<>();
    private final ExecutorService ownPool;

    /**
     * @param maxConcurrent 1.. verifications running at once (for Argon2: about the number of cores)
     * @param maxQueue      0.. verifications waiting for a permit
     * @param executor      the worker pool that runs the work (never the event loop)
     */
    public VerificationGate(int maxConcurrent, int maxQueue, Executor executor) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue must be at least 0, got " + maxQueue);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownPool = executor instanceof ExecutorService pool && executor instanceof OwnPool ? pool : null;
    }

    /**
     * A gate on its own fixed pool of {@code maxConcurrent} daemon threads named {@code threadPrefix-N}. For
     * Argon2 this bounds memory as well as CPU: each run uses 19 MiB, and a fixed set of threads keeps the
     * allocator's per-thread arenas (which keep freed Argon2 blocks) to that many. The threads run at nice
     * {@value #ARGON2_NICE} where the OS allows it. {@link #close} stops them.
     */
    public static VerificationGate onOwnThreads(String threadPrefix, int maxConcurrent, int maxQueue) {
        return new VerificationGate(maxConcurrent, maxQueue, new OwnPool(threadPrefix, Math.max(1, maxConcurrent)));
    }

    /** Stops the threads of a gate made by {@link #onOwnThreads}; nothing for a gate on a given executor. */
    public void close() {
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    static final int ARGON2_NICE = 10;

    private static final class OwnPool extends ThreadPoolExecutor {
        OwnPool(String threadPrefix, int threads) {
            super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new ThreadFactory() {
                private final AtomicInteger n = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    // Argon2 at nice 10: under a flood of new secrets or passwords the event loops and script
                    // runs keep their share of the cores (docs/security.md)
                    Thread t = new Thread(() -> {
                        Posix.niceCurrentThread(ARGON2_NICE);
                        r.run();
                    }, threadPrefix + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });
        }
    }

    /**
     * Runs {@code blockingWork} on the executor when a permit is free, queues it when not, and refuses it
     * (stage failed with {@link VerificationBusyException}) when the queue is full. Never blocks.
     */
    public <T> CompletionStage<T> submit(Supplier<T> blockingWork) {
        Task<T> task = new Task<>(Objects.requireNonNull(blockingWork, "blockingWork"));
        if (tryAcquire(running, maxConcurrent)) {
            dispatch(task);
        } else if (tryAcquire(queued, maxQueue)) {
            waiting.add(task);
            drain(); // a permit may have been released between the failed acquire and the add
        } else {
            task.result.completeExceptionally(new VerificationBusyException(maxConcurrent, maxQueue));
        }
        return task.result;
    }

    /** Work waiting for a permit now. */
    public int queueDepth() {
        return queued.get();
    }

    /** Work running now (permits in use). */
    public int running() {
        return running.get();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public int maxQueue() {
        return maxQueue;
    }

    /** Starts waiting work while permits are free. Called after every enqueue and every release. */
    private void drain() {
        while (!waiting.isEmpty()) {
            if (!tryAcquire(running, maxConcurrent)) {
                return; // every permit is taken: whichever holder releases next drains
            }
            Task<?> next = waiting.poll();
            if (next == null) {
                // Another drainer took it. Release and look again: work added after our poll may have seen
                // our permit as taken and left the draining to us.
                running.decrementAndGet();
                continue;
            }
            queued.decrementAndGet();
            dispatch(next);
        }
    }

    /** Hands a task that holds a permit to the executor; if the executor refuses it, the task fails. */
    private void dispatch(Task<?> task) {
        try {
            executor.execute(task);
        } catch (RuntimeException rejected) {
            running.decrementAndGet();
            drain();
            task.result.completeExceptionally(rejected);
        }
    }

    /** One submitted piece of work and its stage; runs holding a permit and releases it. */
    private final class Task<T> implements Runnable {
        final Supplier<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            T value = null;
            Throwable failure = null;
            try {
                value = work.get();
            } catch (Throwable t) {
                failure = t;
            }
            // Hand the permit on before completing, so dependants of the stage do not delay waiting work.
            running.decrementAndGet();
            drain();
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }
    }

    /**
     * Takes one unit of {@code counter} if it is below {@code max}. The retry loop is deliberately not capped:
     * giving up under contention would be wrong in {@link #drain} (queued work next to a free permit). It is
     * lock-free: a failed compare-and-set means another thread's acquire or release succeeded.
     */
    private static boolean tryAcquire(AtomicInteger counter, int max) {
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return false; // exit: no capacity
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true; // exit: taken
            }
            // lost a race with another acquire or release: re-read and decide again
        }
    }
}
