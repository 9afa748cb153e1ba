package io.udapi.trigger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that trigger bodies and the script inputs built from them may hold at once, across every trigger of
 * this instance ({@code udapi.limits.max-body-memory}, docs/configuration.md). {@code max-body-size} bounds one
 * request; without a bound on their sum, a client with a valid token could open many connections that each hold
 * a large body (and its input, up to six times larger once a body of control characters is escaped as JSON)
 * while they wait for a script slot, and exhaust the heap. A request whose body or input does not fit answers
 * 503/1006 with {@code Retry-After: 1}, as a full script queue does (docs/security.md, "Request bodies").
 *
 * <p>Each trigger that reaches the body stage takes a {@link Share}; what it adds stays held until its response
 * has ended or its connection has closed (the body stage arranges that when the share first holds a byte). The total is one {@link AtomicLong}, added to and taken from by
 * compare-and-set, so it never exceeds {@link #capacity()} however many event loops add at once.
 */
final class BodyMemory {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    BodyMemory(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("udapi.limits.max-body-memory must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The configured budget, or by default a quarter of the maximum heap; never less than two bodies of the
     * largest size, so that one large trigger can always run beside another.
     */
    static long capacity(java.util.Optional<Long> configured, long maxBodyBytes, long maxHeap) {
        return configured.orElse(Math.max(maxHeap / 4, 2 * maxBodyBytes));
    }

    long capacity() {
        return capacity;
    }

    /** The bytes held now, by every share not yet released. */
    long held() {
        return held.get();
    }

    /**
     * A new, empty share for one trigger.
     *
     * @param onFirstHold called once, when the share first holds bytes, to arrange its {@link Share#release()}
     *                    (a trigger without a body costs no end handler)
     */
    Share share(java.util.function.Consumer<Share> onFirstHold) {
        return new Share(onFirstHold);
    }

    /**
     * One trigger's part of the budget. Used on that trigger's event loop only (its stages and its response's
     * handlers run there), so its own fields need no guard; the total they change is shared.
     */
    final class Share {
        private final java.util.function.Consumer<Share> onFirstHold;
        private long bytes;
        private boolean released;
        private boolean arranged;

        private Share(java.util.function.Consumer<Share> onFirstHold) {
            this.onFirstHold = onFirstHold;
        }

        /** Adds {@code n} bytes if the budget has room for them; a share already released takes nothing. */
        boolean tryAdd(long n) {
            if (released) {
                return false;
            }
            if (n == 0) {
                return true; // a bodiless trigger touches no shared counter
            }
            long now;
            do {
                now = held.get();
                if (n > capacity - now) {
                    return false;
                }
            } while (!held.compareAndSet(now, now + n));
            bytes += n;
            if (!arranged && n > 0) {
                arranged = true;
                onFirstHold.accept(this);
            }
            return true;
        }

        /** Gives back everything this share holds; idempotent. */
        void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
                bytes = 0;
            }
        }
    }
}
