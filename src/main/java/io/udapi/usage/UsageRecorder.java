package io.udapi.usage;

import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.registry.TokenChanged;
import io.udapi.token.TokenUsage;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's record of when each token was last admitted (docs/tokens.md, "Usage"), written on the
 * event loop by every admitted trigger.
 *
 * <p>Invariant: each token has one {@link Slot} of two {@link AtomicLong}s holding epoch milliseconds (0 =
 * never). A slot's values only grow: a writer reads the clock once and raises a value with
 * {@code accumulateAndGet(now, Math::max)}, so concurrent triggers on several event loops can neither
 * lose the latest time nor move it back, and no lock is ever taken. A repeated admission in the same
 * millisecond writes nothing new. The only allocation is the slot itself, once per token; the map holds
 * at most one slot per token that authenticated (a known token: random secrets never reach it) and
 * {@link #onTokenChanged} drops the slot of a deleted token.
 */
@ApplicationScoped
public class UsageRecorder {

    /** Epoch milliseconds of the last admission, any secret and the previous secret; 0 = never. */
    static final class Slot {
        final AtomicLong any = new AtomicLong();
        final AtomicLong previous = new AtomicLong();
        /** What the flusher last wrote to the store; read and written by the flusher's thread only. */
        long flushedAny;
        long flushedPrevious;
    }

    /** One token's usage not yet in the store, as {@link UsageFlusher} takes it. */
    record Pending(String tokenId, Slot slot, long any, long previous) {
        TokenUsage usage() {
            return new TokenUsage(instant(any), instant(previous));
        }

        /** After the store acknowledged the write; the slot may have moved on meanwhile, and is flushed next time. */
        void written() {
            slot.flushedAny = any;
            slot.flushedPrevious = previous;
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    public UsageRecorder(Clock clock) {
        this.clock = clock;
    }

    /** An admitted trigger of {@code tokenId} made with the secret in {@code slot}; lock-free. */
    public void admitted(String tokenId, SecretSlot slot) {
        Slot s = slots.get(tokenId);
        if (s == null) {
            s = slots.computeIfAbsent(tokenId, id -> new Slot());
        }
        long now = clock.millis();
        raise(s.any, now);
        if (slot == SecretSlot.PREVIOUS) {
            raise(s.previous, now);
        }
    }

    private static void raise(AtomicLong value, long now) {
        if (value.get() < now) { // the common case of a busy token: no write at all once the value is current
            value.accumulateAndGet(now, Math::max);
        }
    }

    /** What this instance saw of {@code tokenId}; {@link TokenUsage#NONE} when it saw no admission. */
    public TokenUsage of(String tokenId) {
        Slot s = slots.get(tokenId);
        if (s == null) {
            return TokenUsage.NONE;
        }
        return new TokenUsage(instant(s.any.get()), instant(s.previous.get()));
    }

    /**
     * The tokens admitted since their last successful flush, with their current times. Called by the
     * flusher's single thread; a failed write leaves them pending for the next flush, so an outage loses
     * nothing, and the pending set never exceeds the slots (one per token).
     */
    java.util.List<Pending> pending() {
        java.util.List<Pending> pending = new java.util.ArrayList<>();
        slots.forEach((id, s) -> {
            long any = s.any.get();
            long previous = s.previous.get();
            if (any != s.flushedAny || previous != s.flushedPrevious) {
                pending.add(new Pending(id, s, any, previous));
            }
        });
        return pending;
    }

    /** A deleted token's usage is dropped, whichever instance deleted it. */
    void onTokenChanged(@Observes TokenChanged change) {
        if (change.after() == null) {
            slots.remove(change.tokenId());
        }
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
