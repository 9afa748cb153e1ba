package io.udapi.limit;

import java.util.concurrent.CompletionStage;

/**
 * One rate-limit attempt per call, wherever the counts live: this instance's rings ({@link LocalLimiter}) or a
 * server shared by the cluster ({@code io.udapi.limit.redis.RedisLimiter}). Both follow the rule of
 * {@link SlidingWindowLimiter}: a request is admitted iff fewer than {@code limit} admissions lie in the half-open
 * window {@code (now - window, now]}, and they answer the same {@link Decision} values for the same history
 * (LimiterContractTest runs one suite against both).
 *
 * <p>The stage completes with the decision; a denial is a decision, never a failure. It fails only when the
 * counts cannot be reached (a server error or a lost connection), which the caller maps to its fallback.
 */
public interface Limiter {

    /**
     * Admits or denies one request of {@code key} now.
     *
     * @param limit 1..100, as currently configured for the key (may differ from earlier calls)
     * @param windowNanos > 0, as currently configured for the key
     */
    CompletionStage<Decision> tryAcquire(LimiterKey key, int limit, long windowNanos);
}
