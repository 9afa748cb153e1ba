package io.udapi.limit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Cluster scope (docs/concepts.md, "Rate limits"): each attempt is decided by the limiter shared by the cluster,
 * within a timeout; when it fails or is too slow, by the fallback policy, for that request.
 *
 * <p><b>Availability.</b> One flag: the shared limiter is <em>available</em> until an attempt (or a {@link #check})
 * fails or times out, and again from the next one that succeeds. Only an attempt that started in the current state
 * may change it: {@code state} packs the flag with an epoch that every change moves on, and an attempt compares
 * against the value it read when it started. So a late success of an attempt sent before the server died does not
 * announce it back, and a late failure of one sent before it returned does not take it down again: with many
 * attempts in flight on one pipelined connection, each outage is one change down and one up. Its changes, not its requests, are reported to the
 * transition listener (one log line each). While it is unavailable, attempts go straight to the fallback, so an
 * outage costs triggers no timeout each; once per retry interval <em>one</em> attempt, the probe, asks the shared
 * limiter again, and its success makes it available: cluster decisions resume without a restart.
 *
 * <p><b>One probe per interval, lock-free.</b> {@code skipUntil} is the clock reading before which nobody asks the
 * shared limiter while it is unavailable. An attempt that finds the interval over claims the probe by moving
 * {@code skipUntil} one interval on with a compare-and-set from the value it read; of all attempts that read the
 * same expired value exactly one wins, and the others, seeing the new value or losing the race, fall back. So a
 * server that is still down costs one timeout per interval, not one per request in flight when the interval ends.
 * A probe that fails moves {@code skipUntil} on again ({@code down}); one that succeeds sets the flag first, and
 * attempts that read the flag as available ask the shared limiter directly.
 *
 * <p><b>Threading.</b> Any thread; lock-free (a volatile deadline, an atomic flag, adders). The answer may
 * complete on the shared limiter's I/O thread or on the JDK's timeout thread; callers hop back to their own.
 *
 * <p><b>What a timeout means.</b> A reply that comes after the timeout is dropped, but the shared limiter may
 * have recorded that admission: the cluster then counts one request it did not admit, which only under-admits.
 */
public final class ClusterLimiter {

    /** What a request gets when the shared limiter fails or is too slow. */
    public enum Fallback {
        /** Decide on this instance's own rings. */
        LOCAL,
        /** Refuse the request; no decision. */
        REFUSE
    }

    /** Who decided an attempt. */
    public enum Source {
        /** The limiter shared by the cluster. */
        CLUSTER,
        /** This instance's rings, as the fallback. */
        LOCAL,
        /** Nobody: the shared limiter failed and the fallback refuses ({@link #decision()} is null). */
        UNAVAILABLE
    }

    /**
     * The answer to one attempt.
     *
     * @param decision the decision, or null when {@code source} is {@link Source#UNAVAILABLE}
     */
    public record Answer(Decision decision, Source source) {
    }

    /**
     * A change of availability, for the log.
     *
     * @param available whether the shared limiter is available now
     * @param cause why it became unavailable (an exception's class and message, never a secret); null when up
     */
    public record Transition(boolean available, String cause) {
    }

    private final Limiter shared;
    private final LocalLimiter local;
    private final long timeoutNanos;
    private final long retryNanos;
    private final Fallback fallback;
    private final NanoClock clock;
    private final Consumer<Transition> transitions;
    /** Epoch in the high bits, 1 in bit 0 while available; see the class comment. */
    private final AtomicLong state = new AtomicLong(UP);
    private static final long UP = 1;
    /** While unavailable: until when attempts skip the shared limiter (clock reading); see the class comment. */
    private final AtomicLong skipUntil = new AtomicLong();
    private final LongAdder fallbacks = new LongAdder();

    /**
     * @param timeout how long an attempt waits for the shared limiter, > 0
     * @param retryInterval how long attempts skip it after a failure, ≥ 0
     * @param transitions told of each change of availability (from any thread; must not block)
     */
    public ClusterLimiter(Limiter shared, LocalLimiter local, Duration timeout, Duration retryInterval,
                          Fallback fallback, NanoClock clock, Consumer<Transition> transitions) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.local = Objects.requireNonNull(local, "local");
        this.timeoutNanos = timeout.toNanos();
        this.retryNanos = retryInterval.toNanos();
        if (timeoutNanos <= 0 || retryNanos < 0) {
            throw new IllegalArgumentException("timeout " + timeout + " must be > 0 and retry interval "
                    + retryInterval + " >= 0");
        }
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transitions = Objects.requireNonNull(transitions, "transitions");
    }

    /**
     * One attempt; the stage never fails (a failure of the shared limiter is answered by the fallback).
     *
     * @throws IllegalArgumentException for a limit outside 1..100 or a window ≤ 0, before anything is asked (a
     *     programming error, which must not count as a failure of the shared limiter)
     */
    public CompletionStage<Answer> tryAcquire(LimiterKey key, int limit, long windowNanos) {
        Objects.requireNonNull(key, "key");
        if (limit < 1 || limit > SlidingWindowLimiter.MAX_LIMIT || windowNanos <= 0) {
            throw new IllegalArgumentException("limit " + limit + " must be 1.." + SlidingWindowLimiter.MAX_LIMIT
                    + " and window " + windowNanos + " ns > 0");
        }
        long started = state.get();
        if (!isUp(started) && !claimProbe()) {
            return CompletableFuture.completedFuture(fallback(key, limit, windowNanos)); // exit: skipping
        }
        CompletableFuture<Decision> reply;
        try {
            reply = shared.tryAcquire(key, limit, windowNanos).toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e); // a client that throws instead of failing its stage
        }
        return withTimeout(reply).handle((decision, failure) -> {
            if (failure == null) {
                up(started);
                return new Answer(decision, Source.CLUSTER);
            }
            down(started, failure);
            return fallback(key, limit, windowNanos);
        });
    }

    /**
     * Reports whether {@code probe} (a request to the same server that decides nothing, e.g. a PING at start-up)
     * succeeds within the timeout, as an attempt would: so availability is known before the first limited trigger.
     * The stage completes with the outcome and never fails.
     */
    public CompletionStage<Boolean> check(CompletionStage<?> probe) {
        long started = state.get();
        return withTimeout(probe.toCompletableFuture()).handle((ok, failure) -> {
            if (failure == null) {
                up(started);
                return true;
            }
            down(started, failure);
            return false;
        });
    }

    /** A copy of {@code reply} that fails after the timeout; the copy, so that the timeout never completes the original. */
    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> reply) {
        return reply.thenApply(value -> value).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** While unavailable: whether this attempt is the one probe of the interval that just ended (class comment). */
    private boolean claimProbe() {
        long until = skipUntil.get();
        long now = clock.nanoTime();
        return now - until >= 0 && skipUntil.compareAndSet(until, now + retryNanos);
    }

    /** Whether the shared limiter answered the latest attempt or check that asked it (true before the first). */
    public boolean available() {
        return isUp(state.get());
    }

    private static boolean isUp(long state) {
        return (state & UP) != 0;
    }

    /** The state after {@code state}: the next epoch, with the flag {@code up}. */
    private static long next(long state, boolean up) {
        return (((state >>> 1) + 1) << 1) | (up ? UP : 0);
    }

    /** Attempts not decided by the shared limiter since start (decided locally or refused). */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** The policy this limiter falls back to. */
    public Fallback fallbackPolicy() {
        return fallback;
    }

    private Answer fallback(LimiterKey key, int limit, long windowNanos) {
        fallbacks.increment();
        return fallback == Fallback.LOCAL
                ? new Answer(local.decide(key, limit, windowNanos), Source.LOCAL)
                : new Answer(null, Source.UNAVAILABLE);
    }

    /** A success of an attempt that started in {@code started}: up, if it was down then and nothing changed since. */
    private void up(long started) {
        if (!isUp(started) && state.compareAndSet(started, next(started, true))) {
            transitions.accept(new Transition(true, null));
        }
    }

    /** A failure of an attempt that started in {@code started}: down, if it was up then and nothing changed since. */
    private void down(long started, Throwable failure) {
        skipUntil.set(clock.nanoTime() + retryNanos); // also extends the skip when a probe fails again
        if (isUp(started) && state.compareAndSet(started, next(started, false))) {
            transitions.accept(new Transition(false, describe(failure)));
        }
    }

    private String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return "no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
