package io.udapi.secret;

import io.udapi.admission.Admission;
import io.udapi.admission.Ticket;
import io.udapi.os.Posix;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps concurrent Argon2 verifications (docs/security.md; docs/configuration.md, {@code udapi.secrets.*} and
 * {@code udapi.admin.*}): at most {@code maxConcurrent} run on the worker {@link Executor}, at most
 * {@code maxQueue} wait, and anything beyond is refused at once. The bounds are an {@link Admission}; this class
 * adds the executor, the stage and the Argon2 threads.
 *
 * <p>{@link #submit} never blocks the caller (an event-loop thread): it either hands the work to the executor,
 * queues it, or answers the caller's "busy" value at once. Busy is a value, never an exception: the caller
 * names it ({@code AuthResult.BUSY}, {@code Refusal.BUSY}, ...), and maps it to 503 / 1100.
 *
 * <p>The returned stage completes on the worker thread that ran the work (after the permit was handed on), so
 * dependent actions that touch request state must hop back to their event loop (Vert.x
 * {@code Context.runOnContext}) or use the {@code *Async} variants. An exception thrown by the work
 * completes the stage exceptionally with it (a fault, never "busy"). The executor must not run tasks on the
 * calling thread; if it rejects a task, that task's stage fails with the rejection and its permit goes on.
 */
public final class VerificationGate {

    private final Admission<Task<?>> admission;
    private final Executor executor;
    private final ExecutorService ownPool;

    /**
     * @param maxConcurrent 1.. verifications running at once (for Argon2: about the number of cores)
     * @param maxQueue      0.. verifications waiting for a permit
     * @param executor      the worker pool that runs the work (never the event loop)
     */
    public VerificationGate(int maxConcurrent, int maxQueue, Executor executor) {
        this.admission = new Admission<>(maxConcurrent, maxQueue, this::dispatch);
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
     * Runs {@code blockingWork} on the executor when a permit is free, queues it when not, and answers
     * {@code whenBusy} at once when the queue is full too. Never blocks.
     *
     * @param whenBusy what the stage completes with, already on return, when every permit and queue place is
     *                 taken (the work then never runs)
     */
    public <T> CompletionStage<T> submit(Supplier<T> blockingWork, T whenBusy) {
        Task<T> task = new Task<>(Objects.requireNonNull(blockingWork, "blockingWork"));
        if (admission.tryEnter(task) instanceof Ticket.Busy) {
            return CompletableFuture.completedFuture(whenBusy);
        }
        return task.result;
    }

    /** Work waiting for a permit now. */
    public int queueDepth() {
        return admission.queued();
    }

    /** Work running now (permits in use). */
    public int running() {
        return admission.running();
    }

    public int maxConcurrent() {
        return admission.permits();
    }

    public int maxQueue() {
        return admission.queueLimit();
    }

    /** The admission's starter: hands a task that holds a permit to the executor; a refused one fails. */
    private void dispatch(Task<?> task, Admission.Permit permit) {
        try {
            executor.execute(() -> task.run(permit));
        } catch (RuntimeException rejected) {
            permit.release();
            task.result.completeExceptionally(rejected);
        }
    }

    /** One submitted piece of work and its stage; runs holding a permit and releases it. */
    private static final class Task<T> {
        final Supplier<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Supplier<T> work) {
            this.work = work;
        }

        void run(Admission.Permit permit) {
            T value = null;
            Throwable failure = null;
            try {
                value = work.get();
            } catch (Throwable t) {
                failure = t;
            }
            // Hand the permit on before completing, so dependants of the stage do not delay waiting work.
            permit.release();
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }
    }
}
