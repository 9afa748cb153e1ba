package io.udapi.limit;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Limiter} over this instance's rings ({@link RateLimiterRegistry}): decided inline, on the caller's
 * thread, so the stage it answers is already complete.
 */
public final class LocalLimiter implements Limiter {

    private final RateLimiterRegistry<LimiterKey> registry;

    public LocalLimiter(RateLimiterRegistry<LimiterKey> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The decision itself, without a stage (the trigger path's inline use). */
    public Decision decide(LimiterKey key, int limit, long windowNanos) {
        return registry.tryAcquire(key, limit, windowNanos);
    }

    @Override
    public CompletionStage<Decision> tryAcquire(LimiterKey key, int limit, long windowNanos) {
        return CompletableFuture.completedFuture(decide(key, limit, windowNanos));
    }
}
