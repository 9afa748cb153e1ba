package io.udapi.admission;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded admission: at most {@code permits} tasks run at once, at most {@code queueLimit} wait for a permit, and
 * anything beyond is refused at once ({@link Ticket.Busy}). The one admission control of udapi: Argon2 for
 * token secrets and for admin passwords, and the runs of both script engines (docs/architecture.md,
 * "Threading").
 *
 * <p>{@link #tryEnter} never blocks and never locks, so it runs on an event loop. A task that gets a permit is
 * handed to the {@link Starter} together with a {@link Permit}; the task calls {@link Permit#release} once it is
 * done, and the release hands the permit to the next queued task (calling the starter on the releasing thread).
 * Not FIFO-fair between a new task and a waiting one: a task entering just after a release may take the permit
 * before the releaser looks at the queue. Queued tasks start in their queue order.
 *
 * <p>Pure Java, no framework; safe from any number of threads.
 */
public final class Admission<T> {

    /**
     * Starts a task that holds a permit. Called on the thread of {@link #tryEnter} (Started) or of a
     * {@link Permit#release} (a queued task). It must not block and should not throw: the usual starter hands the
     * task to an executor or an event loop and returns. If it throws anyway, the permit is released (so the next
     * queued task starts) and the exception goes to the thread that called {@code tryEnter} or {@code release}.
     */
    @FunctionalInterface
    public interface Starter<T> {
        void start(T task, Permit permit);
    }

    /* ---------------------------------------------------------------------------------------------
     * THE COUNTERS AND THE QUEUE: INVARIANT AND PROTOCOL
     *
     * State. `running` counts permits held: taken by a compare-and-set below `permits`, given back by the
     * first release() of a Permit, or by a drainer that took one and found no task to give it to. `queued`
     * counts reserved queue places: taken by a compare-and-set below `queueLimit` BEFORE the task is added to
     * `waiting` (a lock-free FIFO), given back only AFTER a task was polled from it. So at every moment
     * |waiting| <= queued.
     *
     * Invariants.
     *  (B1) 0 <= running <= permits, at every moment: running grows only by a CAS from r < permits to r + 1,
     *       and shrinks only by giving back a permit that was taken (a Permit releases once, see RELEASED).
     *  (B2) 0 <= queued <= queueLimit, at every moment: the same with places; a place is given back only for
     *       a polled task, and every task in `waiting` had reserved one. (The old script limiter incremented
     *       first and took back on overshoot, so its counter read above the bound and below zero.)
     *  (B3) No stranded task: whenever no tryEnter and no release is in progress, `waiting` is non-empty
     *       only if running == permits. Equivalently: no task waits while a permit is free.
     *
     * Why (B3) holds (no lost wake-up). Whoever adds a task drains afterwards, and whoever gives a permit
     * back drains afterwards. A drain loops "while waiting is non-empty and a permit can be taken: poll"; it
     * exits only (a) on seeing `waiting` empty, or (b) on a failed take, i.e. on seeing running == permits.
     * Take a task X added at time a. The adder's drain reads `waiting` after a. In case (a) X was already
     * polled. In case (b) every permit was held at that read; each holder gives its permit back later, and
     * since all atomics here are sequentially consistent, the holder's give-back, and then its drain's read
     * of `waiting`, come after the adder's failed take, hence after a: that drain sees X (or X is gone) and
     * takes the permit, or finds every permit held again and the argument repeats with the new holders. Once
     * everybody has finished, some drain took a permit with X present, or X was polled by another.
     *
     * A drainer that took a permit but polled nothing (another drainer took the last task between its
     * isEmpty and its poll) gives the permit back and loops: a task added meanwhile may have seen that permit
     * as taken and left the draining to it.
     * ------------------------------------------------------------------------------------------- */

    private final int permits;
    private final int queueLimit;
    private final Starter<T> starter;
    private final Ticket.Busy busy;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Queue<T> waiting = new ConcurrentLinkedQueue<>();

    /**
     * @param permits    1.. tasks running at once
     * @param queueLimit 0.. tasks waiting for a permit
     * @param starter    hands a task that holds a permit to where it runs
     */
    public Admission(int permits, int queueLimit, Starter<T> starter) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        if (queueLimit < 0) {
            throw new IllegalArgumentException("queueLimit must be at least 0, got " + queueLimit);
        }
        this.permits = permits;
        this.queueLimit = queueLimit;
        this.starter = Objects.requireNonNull(starter, "starter");
        this.busy = new Ticket.Busy(permits, queueLimit); // preallocated: a flood of refusals allocates nothing
    }

    /**
     * Starts {@code task} now if a permit is free, queues it if a queue place is, refuses it otherwise. Never
     * blocks.
     */
    public Ticket tryEnter(T task) {
        Objects.requireNonNull(task, "task");
        if (take(running, permits)) {
            start(task, new Permit(this));
            return Ticket.STARTED;
        }
        if (take(queued, queueLimit)) {
            waiting.add(task);
            drain(); // (B3): a permit may have been given back between the failed take and the add
            return Ticket.QUEUED;
        }
        return busy; // exit: refused; nothing was written
    }

    /** Permits held now (0..permits). */
    public int running() {
        return running.get();
    }

    /** Tasks waiting now (0..queueLimit). */
    public int queued() {
        return queued.get();
    }

    public int permits() {
        return permits;
    }

    public int queueLimit() {
        return queueLimit;
    }

    /** Starts waiting tasks while permits are free. Called after every add and every give-back (B3). */
    private void drain() {
        while (!waiting.isEmpty()) {
            if (!take(running, permits)) {
                return; // exit: every permit is held; whichever holder gives one back drains next
            }
            T next = waiting.poll();
            if (next == null) {
                running.decrementAndGet(); // another drainer took it: give back and look again (see above)
                continue;
            }
            queued.decrementAndGet(); // after the poll, so |waiting| <= queued holds (B2)
            start(next, new Permit(this));
        }
        // exit: nothing waits
    }

    private void start(T task, Permit permit) {
        try {
            starter.start(task, permit);
        } catch (RuntimeException | Error e) {
            permit.release(); // no permit leaks (B1) and the next queued task still starts (B3)
            throw e;
        }
    }

    /**
     * Takes one unit of {@code counter} if it is below {@code max}. Deliberately not capped: giving up under
     * contention would strand a task in drain() next to a free permit. Lock-free: a failed compare-and-set
     * means another thread's take or give-back succeeded.
     */
    private static boolean take(AtomicInteger counter, int max) {
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return false; // exit: no capacity
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true; // exit: taken
            }
            // lost a race with another take or give-back: read again and decide again
        }
    }

    /** One task's hold on a permit. Released once; later releases do nothing. */
    public static final class Permit {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Admission<?> owner;
        @SuppressWarnings("unused") // through RELEASED
        private volatile boolean released;

        private Permit(Admission<?> owner) {
            this.owner = owner;
        }

        /**
         * Gives the permit back and starts the next queued task with it, on this thread. Only the first call
         * counts (a task may end by several paths, e.g. its answer and its timeout).
         *
         * @return whether this call released the permit
         */
        public boolean release() {
            if (!RELEASED.compareAndSet(this, false, true)) {
                return false; // exit: released before
            }
            owner.running.decrementAndGet();
            owner.drain(); // (B3)
            return true;
        }
    }
}
